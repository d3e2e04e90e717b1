/**
 * Contract cases for the system services: host lookup, files, interfaces, environment.
 *
 * @module
 */
import { type ContractCase, FIXTURE_ENV, fixtureEnv } from "./_case-kit.ts";

export const systemCases: ContractCase[] = [
  {
    name: 'lookupHost("localhost") includes 127.0.0.1 or ::1',
    async run(platform, assert) {
      const addresses = await platform.lookupHost("localhost", 3000);
      assert.ok(
        addresses.includes("127.0.0.1") || addresses.includes("::1"),
        `loopback among ${JSON.stringify(addresses)}`,
      );
    },
  },
  {
    name: "readTextFile() reads a file and rejects a missing one with NOT_FOUND",
    needs: ["tls"],
    async run(platform, assert) {
      const path = fixtureEnv(platform, FIXTURE_ENV.caFile);
      const text = await platform.readTextFile(path);
      assert.ok(text.startsWith("-----BEGIN CERTIFICATE-----"), "file contents");
      await assert.rejects(platform.readTextFile(`${path}.missing`), "NOT_FOUND", "missing file");
    },
  },
  {
    name: "localAddresses() excludes loopback addresses",
    async run(platform, assert) {
      const addresses = platform.localAddresses();
      assert.ok(!addresses.includes("127.0.0.1"), `no 127.0.0.1 in ${JSON.stringify(addresses)}`);
      assert.ok(!addresses.includes("::1"), `no ::1 in ${JSON.stringify(addresses)}`);
      assert.ok(
        addresses.every((a) => !a.includes("%")),
        "no zone suffixes",
      );
    },
  },
  {
    name: "env() reads a variable and cwd() names a directory",
    async run(platform, assert) {
      assert.equal(platform.env(FIXTURE_ENV.marker), "present", `${FIXTURE_ENV.marker} visible`);
      assert.equal(platform.env("CONTRACT_SURELY_UNSET_VARIABLE"), undefined, "unset variable");
      assert.ok(platform.cwd().startsWith("/"), `absolute cwd (got ${platform.cwd()})`);
    },
  },
];
