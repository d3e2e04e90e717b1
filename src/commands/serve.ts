/**
 * The `serve` command: builds the master detector the configuration asks for, starts the
 * app, and runs until SIGINT/SIGTERM (exit 0) or a fatal detection timeout (exit 1).
 *
 * @module
 */
import { type App, type Logger, startApp } from "../core/app.ts";
import type { Config } from "../core/config/config.ts";
import { parseZkUrl } from "../core/config/zk-url.ts";
import { configView } from "../core/http/config-view.ts";
import { errorMessage } from "../core/log/log-text.ts";
import { type MasterDetector, staticDetector } from "../core/mesos/master-detector.ts";
import type { ZkClientFactory } from "../core/mesos/zk-client.ts";
import { zkDetector } from "../core/mesos/zk-detector.ts";
import type { Platform } from "../core/platform.ts";

export interface ServeDeps {
  readonly platform: Platform;
  readonly version: string;
  readonly log: Logger;
  /** The ZooKeeper client factory, asked for only when `zk` names an ensemble. */
  readonly zookeeper: () => Promise<ZkClientFactory>;
}

/**
 * The detector for `config`: ZooKeeper when `zk` is set, else the static masters list.
 * `zookeeper` is called only for a ZooKeeper URL.
 */
export async function detectorFor(
  config: Config,
  log: Logger,
  zookeeper: () => Promise<ZkClientFactory>,
): Promise<MasterDetector | string> {
  if (config.Zk === "") return staticDetector(config);
  const parsed = parseZkUrl(config.Zk);
  if (!parsed.ok) return parsed.error;
  const target = parsed.target;
  if (target.kind === "fixed") return staticDetector({ Masters: [target.leader] });
  return zkDetector({
    servers: target.servers,
    path: target.path,
    credentials: target.credentials,
    masters: config.Masters,
    createClient: await zookeeper(),
    log,
  });
}

/** Shutdown gets this long to close listeners and connections before the process ends anyway. */
const SHUTDOWN_DEADLINE_MS = 500;

/** docs/spec.md §1.3: the effective configuration at verbose level, and a warning for ignored credentials. */
function logStartup(config: Config, log: Logger): void {
  log.debug(`Effective configuration: ${JSON.stringify(configView(config))}`);
  const credentials = config.MesosCredentials.Principal !== "" || config.IAMConfigFile !== "";
  if (config.MesosAuthentication === "" && credentials) {
    log.warn(
      'mesosCredentials.principal or IAMConfigFile is set but mesosAuthentication is "": no authentication is used',
    );
  }
}

/** Starts serving; resolves with the exit status once the process should end. */
export async function runServe(config: Config, deps: ServeDeps): Promise<number> {
  const { log } = deps;
  logStartup(config, log);
  const detector = await detectorFor(config, log, deps.zookeeper);
  if (typeof detector === "string") {
    log.error(detector);
    return 2;
  }
  return new Promise<number>((resolve) => {
    let app: App | undefined;
    let ending = false;
    const end = async (status: number) => {
      // A second signal while shutting down ends the process at once.
      if (ending) return resolve(status);
      ending = true;
      // A client holding a request open must not keep the process alive (SIGTERM ends it
      // within a second): stop what can be stopped, then go anyway.
      const deadline = new Promise<void>((done) => setTimeout(done, SHUTDOWN_DEADLINE_MS));
      await Promise.race([app?.stop(), deadline]);
      resolve(status);
    };
    deps.platform.onSignal("SIGINT", () => void end(0));
    deps.platform.onSignal("SIGTERM", () => void end(0));
    startApp({
      platform: deps.platform,
      config,
      version: deps.version,
      log,
      detector,
      onFatal: (message) => {
        log.error(message);
        void end(1);
      },
    }).then(
      (started) => {
        app = started;
        if (ending) void started.stop();
      },
      (error: unknown) => {
        log.error(`Cannot start: ${errorMessage(error)}`);
        resolve(1);
      },
    );
  });
}
