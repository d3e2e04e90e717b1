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
  {
    name: "checkTlsMaterial() accepts a real CA bundle and names a damaged certificate",
    needs: ["tls"],
    skip: { memory: "the virtual network has no TLS; it only looks for PEM markers" },
    async run(platform, assert) {
      const ca = await platform.readTextFile(fixtureEnv(platform, FIXTURE_ENV.caFile));
      assert.equal(platform.checkTlsMaterial({ ca }), undefined, "the fixture CA");
      const damaged = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";
      const problem = platform.checkTlsMaterial({ ca: damaged }) ?? "";
      assert.ok(problem.startsWith("ca:"), `a problem naming ca (got ${JSON.stringify(problem)})`);
      const pair = platform.checkTlsMaterial({
        cert: ca,
        key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
      });
      assert.ok((pair ?? "").startsWith("key:"), `a problem naming key (got ${JSON.stringify(pair)})`);
    },
  },
];
