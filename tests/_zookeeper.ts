/**
 * A real standalone ZooKeeper for the integration and contract tests, from the Debian
 * package's jars, listening on 127.0.0.1 at a free port with a temporary data directory:
 *
 * ```sh
 * java -Dzookeeper.admin.enableServer=false -cp /usr/share/java/zookeeper.jar:/usr/share/java/slf4j-nop.jar \
 *   org.apache.zookeeper.server.ZooKeeperServerMain <dir>/zoo.cfg
 * ```
 *
 * The config file form of `ZooKeeperServerMain` (rather than `<port> <dataDir>`) is used
 * so that the server binds 127.0.0.1 only (`clientPortAddress`).
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const JAVA = "/usr/bin/java";
const JARS = ["/usr/share/java/zookeeper.jar", "/usr/share/java/slf4j-nop.jar"];
const MAIN = "org.apache.zookeeper.server.ZooKeeperServerMain";

/** Why ZooKeeper cannot run here, or undefined when it can. */
export function zookeeperMissing(): string | undefined {
  if (!existsSync(JAVA)) return `${JAVA} not found (apt-get install default-jre-headless)`;
  const jar = JARS[0] ?? "";
  if (!existsSync(jar)) return `${jar} not found (apt-get install zookeeper)`;
  return undefined;
}

export interface ZooKeeperServer {
  readonly port: number;
  /** `127.0.0.1:<port>`. */
  readonly servers: string;
  /** The command line used, for reports. */
  readonly command: string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s); the data directory stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  /** Stops it and removes the data directory. */
  dispose(): Promise<void>;
}

/** Starts ZooKeeper and resolves once it accepts connections. */
export async function startZooKeeper(): Promise<ZooKeeperServer> {
  const dir = mkdtempSync(join(tmpdir(), "mesos-dns-zk-"));
  mkdirSync(join(dir, "data"));
  const port = await freePort();
  const cfg = join(dir, "zoo.cfg");
  writeFileSync(
    cfg,
    [
      "tickTime=500",
      `dataDir=${join(dir, "data")}`,
      `clientPort=${port}`,
      "clientPortAddress=127.0.0.1",
      "admin.enableServer=false",
      "minSessionTimeout=1000",
      "maxSessionTimeout=60000",
      "",
    ].join("\n"),
  );
  const args = ["-Dzookeeper.admin.enableServer=false", "-cp", JARS.join(":"), MAIN, cfg];
  let child: ChildProcess | undefined;
  let output = "";

  const launch = async () => {
    output = "";
    const c = spawn(JAVA, args, { stdio: ["ignore", "pipe", "pipe"] });
    c.stdout?.on("data", (d) => {
      output += String(d);
    });
    c.stderr?.on("data", (d) => {
      output += String(d);
    });
    child = c;
    // A test run cut short (Ctrl-C, a closed pipe) must not leave ZooKeeper running.
    const reap = () => c.kill("SIGKILL");
    process.once("exit", reap);
    c.once("exit", () => process.off("exit", reap));
    const deadline = Date.now() + 20_000;
    while (!(await accepts(port))) {
      if (c.exitCode !== null || Date.now() > deadline) {
        c.kill("SIGKILL");
        throw new Error(`ZooKeeper did not start on 127.0.0.1:${port}:\n${output.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once("exit", () => resolve()));
    c.kill("SIGTERM");
    const timer = setTimeout(() => c.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };

  await launch();
  return {
    port,
    servers: `127.0.0.1:${port}`,
    command: `${JAVA} ${args.join(" ")}`,
    stop,
    restart: launch,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * True once the server answers the `srvr` four-letter command (allowed by default): an
 * open port alone is not enough, sessions opened before the server runs can stall.
 */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = "";
    const timer = setTimeout(() => socket.destroy(), 1000);
    socket.on("data", (d) => {
      reply += String(d);
    });
    socket.once("connect", () => socket.write("srvr"));
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(reply.includes("Zookeeper version") && !reply.includes("not currently serving"));
    });
    socket.once("error", () => undefined);
    socket.connect(port, "127.0.0.1");
  });
}
