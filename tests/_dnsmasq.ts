/**
 * Starts Debian's dnsmasq as the forwarding target of ../shared/conformance/README.md,
 * on a loopback port of the caller's choice.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitForDns } from "./_dns-client.ts";

export const DNSMASQ = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq"].find((p) => existsSync(p));

/** The answers of the conformance tables: example.test, fwd.test and the 40-address big.fwd.test. */
export function conformanceDnsmasqArgs(port: number, dir: string): string[] {
  const args = [
    "--conf-file=/dev/null",
    "--no-resolv",
    "--no-hosts",
    "--keep-in-foreground",
    "--user=root",
    `--port=${port}`,
    "--listen-address=127.0.0.1",
    "--bind-interfaces",
    `--pid-file=${join(dir, "dnsmasq.pid")}`,
    `--log-facility=${join(dir, "dnsmasq.log")}`,
    "--address=/example.test/10.9.9.9",
    "--local=/fwd.test/",
    "--host-record=host.fwd.test,10.8.8.8,fd00::8",
    "--srv-host=_http._tcp.fwd.test,host.fwd.test,80,0,5",
    "--txt-record=txt.fwd.test,hello",
    "--cname=alias.fwd.test,host.fwd.test",
  ];
  for (let i = 1; i <= 40; i++) args.push(`--host-record=big.fwd.test,10.8.1.${i}`);
  return args;
}

export interface Dnsmasq {
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts dnsmasq with the conformance arguments (plus `extra`) and waits until it answers. */
export async function startDnsmasq(port: number, extra: string[] = []): Promise<Dnsmasq> {
  if (!DNSMASQ) throw new Error("dnsmasq is not installed (apt-get install dnsmasq)");
  const dir = mkdtempSync(join(tmpdir(), "dnsmasq-"));
  const child = spawn(DNSMASQ, [...conformanceDnsmasqArgs(port, dir), ...extra], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitForDns("127.0.0.1", port, "www.example.test", 5000);
  return {
    port,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
