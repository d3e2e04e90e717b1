/**
 * Starts Debian's dnsmasq as the forwarding target of ../shared/conformance/README.md
 * (exactly its command line; only the port, pid file and log file are ours) on a free
 * loopback port. Used by the conformance, smoke and forwarder tests and the forward bench.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitForDns } from "./_dns-client.ts";

export const DNSMASQ = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq"].find((p) => existsSync(p));

/** The README's arguments: example.test, fwd.test and the 40-address big.fwd.test. */
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
  readonly pid: number | undefined;
  /** dnsmasq's own log, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts dnsmasq with the conformance arguments plus `extra`, and waits until it answers.
 * A port taken between choosing and binding makes dnsmasq exit; another port is tried.
 */
export async function startDnsmasq(extra: string[] = []): Promise<Dnsmasq> {
  if (!DNSMASQ) throw new Error("dnsmasq is not installed (apt-get install dnsmasq)");
  for (let attempt = 0; attempt < 5; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), "dnsmasq-"));
    const port = await freePort();
    const child = spawn(DNSMASQ, [...conformanceDnsmasqArgs(port, dir), ...extra], { stdio: "ignore" });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      await waitForDns("127.0.0.1", port, "www.example.test", 5000);
    } catch {
      await stop();
      continue;
    }
    return {
      port,
      pid: child.pid,
      log: () => {
        try {
          return readFileSync(join(dir, "dnsmasq.log"), "utf8");
        } catch {
          return "";
        }
      },
      stop,
    };
  }
  throw new Error("dnsmasq did not start on any of 5 free ports");
}
