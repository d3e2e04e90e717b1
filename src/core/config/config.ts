/**
 * The effective configuration: upstream Mesos-DNS's `config.json` settings under their
 * canonical names (docs/spec.md §2.2), plus this project's own additions, which upstream ignores as
 * unknown keys. {@link CONFIG_KEYS} is the one list of keys: their spelling, how they decode,
 * their defaults, and which `/v1/config` shows in which order. Adding a key is one entry there
 * (and one field of {@link UpstreamConfig} or {@link ExtendedConfig}).
 *
 * Parsing and validation live in `config-parse.ts` and `config-validate.ts`.
 *
 * @module
 */

/** HTTP Basic credentials (`mesosCredentials`). */
export interface MesosCredentials {
  Principal: string;
  Secret: string;
}

/** Upstream's settings (their order is {@link CONFIG_KEYS}'s). */
export interface UpstreamConfig {
  RefreshSeconds: number;
  Port: number;
  Timeout: number;
  StateTimeoutSeconds: number;
  ZkDetectionTimeout: number;
  HttpPort: number;
  TTL: number;
  SRVRecordDefaultWeight: number;
  SOASerial: number;
  SOARefresh: number;
  SOARetry: number;
  SOAExpire: number;
  SOAMinttl: number;
  /** Normalised: one trailing dot. */
  SOAMname: string;
  /** Normalised: `@` replaced by `.`, one trailing dot. */
  SOARname: string;
  /** `null` when unset, as upstream shows it. */
  Masters: string[] | null;
  ZoneResolvers: Record<string, string[]>;
  Resolvers: string[] | null;
  IPSources: string[];
  Zk: string;
  /** Lower case, no trailing dot. */
  Domain: string;
  File: string;
  Listener: string;
  HTTPListener: string;
  RecurseOn: boolean;
  DnsOn: boolean;
  HttpOn: boolean;
  ExternalOn: boolean;
  EnforceRFC952: boolean;
  SetTruncateBit: boolean;
  EnumerationOn: boolean;
  MesosHTTPSOn: boolean;
  CACertFile: string;
  CertFile: string;
  KeyFile: string;
  MesosCredentials: MesosCredentials;
  IAMConfigFile: string;
  MesosAuthentication: string;
}

/** Settings this project adds (documented in the README; upstream ignores them). */
export interface ExtendedConfig {
  /**
   * Forwarded-answer cache entries; 0 turns the cache off. The cache also holds at most this
   * many KiB, and never a reply over 4096 bytes.
   */
  ForwardCacheSize: number;
  /** Upper bound on the TTL of a cached forwarded answer, seconds. */
  ForwardCacheMaxTTL: number;
  /** Forwarded queries in flight at once; excess gets SERVFAIL. */
  ForwardMaxInFlight: number;
  /** A state document larger than this many bytes is abandoned. */
  StateMaxBytes: number;
  /** `/ready` fails when the loaded state is older than this; 0 means 3 x RefreshSeconds. */
  ReadyMaxAgeSeconds: number;
  /**
   * Follow the leading master's operator API event stream for records fresh within
   * milliseconds; polling continues as reconciliation. False: poll only, as upstream.
   */
  EventStreamOn: boolean;
}

export type Config = UpstreamConfig & ExtendedConfig;

/**
 * How a key's JSON value decodes: the Go field type of upstream's struct (`int`, `int32`,
 * `uint16`, `uint32`, `string`, `bool`, `[]string`, the zone map, the credentials struct).
 */
export type ConfigKind =
  | "int"
  | "int32"
  | "uint16"
  | "uint32"
  | "string"
  | "bool"
  | "list"
  | "zones"
  | "creds";

/** The kinds a field of type `T` can decode as. */
type KindFor<T> = [T] extends [boolean]
  ? "bool"
  : [T] extends [number]
    ? "int" | "int32" | "uint16" | "uint32"
    : [T] extends [string]
      ? "string"
      : [T] extends [string[] | null]
        ? "list"
        : [T] extends [MesosCredentials]
          ? "creds"
          : [T] extends [Record<string, string[]>]
            ? "zones"
            : never;

/** One `config.json` key. */
export interface ConfigKey<K extends keyof Config> {
  /** The documented spelling, as messages name the key (matching is case-insensitive). */
  readonly json: string;
  readonly kind: KindFor<Config[K]>;
  /** The default; {@link defaultConfig} hands out copies. */
  readonly default: Config[K];
  /**
   * `upstream`: one of upstream's settings, shown by `/v1/config` at its place in
   * {@link CONFIG_KEYS}; `ours`: an addition upstream ignores, never shown there.
   */
  readonly origin: K extends keyof ExtendedConfig ? "ours" : "upstream";
}

/**
 * Every key, upstream's first in the order its struct marshals them for `/v1/config`
 * (docs/spec.md §8.2), then ours. Defaults are upstream's (docs/spec.md §2.2) and ours; `File` and `SOASerial`
 * are filled in at load time.
 */
export const CONFIG_KEYS: { readonly [K in keyof Config]: ConfigKey<K> } = {
  RefreshSeconds: { json: "refreshSeconds", kind: "int", default: 60, origin: "upstream" },
  Port: { json: "port", kind: "int", default: 53, origin: "upstream" },
  Timeout: { json: "timeout", kind: "int", default: 5, origin: "upstream" },
  StateTimeoutSeconds: { json: "stateTimeoutSeconds", kind: "int", default: 300, origin: "upstream" },
  ZkDetectionTimeout: { json: "zkDetectionTimeout", kind: "int", default: 30, origin: "upstream" },
  HttpPort: { json: "httpport", kind: "int", default: 8123, origin: "upstream" },
  TTL: { json: "ttl", kind: "int32", default: 60, origin: "upstream" },
  SRVRecordDefaultWeight: { json: "srvRecordDefaultWeight", kind: "uint16", default: 1, origin: "upstream" },
  SOASerial: { json: "SOASerial", kind: "uint32", default: 0, origin: "upstream" },
  SOARefresh: { json: "SOARefresh", kind: "uint32", default: 60, origin: "upstream" },
  SOARetry: { json: "SOARetry", kind: "uint32", default: 600, origin: "upstream" },
  SOAExpire: { json: "SOAExpire", kind: "uint32", default: 86400, origin: "upstream" },
  SOAMinttl: { json: "SOAMinttl", kind: "uint32", default: 60, origin: "upstream" },
  SOAMname: { json: "SOAMname", kind: "string", default: "ns1.mesos.", origin: "upstream" },
  SOARname: { json: "SOARname", kind: "string", default: "root.ns1.mesos.", origin: "upstream" },
  Masters: { json: "masters", kind: "list", default: null, origin: "upstream" },
  ZoneResolvers: { json: "zoneResolvers", kind: "zones", default: {}, origin: "upstream" },
  Resolvers: { json: "resolvers", kind: "list", default: ["8.8.8.8"], origin: "upstream" },
  IPSources: { json: "IPSources", kind: "list", default: ["netinfo", "mesos", "host"], origin: "upstream" },
  Zk: { json: "zk", kind: "string", default: "", origin: "upstream" },
  Domain: { json: "domain", kind: "string", default: "mesos", origin: "upstream" },
  File: { json: "File", kind: "string", default: "", origin: "upstream" },
  Listener: { json: "listener", kind: "string", default: "0.0.0.0", origin: "upstream" },
  HTTPListener: { json: "httplistener", kind: "string", default: "0.0.0.0", origin: "upstream" },
  RecurseOn: { json: "recurseon", kind: "bool", default: true, origin: "upstream" },
  DnsOn: { json: "dnson", kind: "bool", default: true, origin: "upstream" },
  HttpOn: { json: "httpon", kind: "bool", default: true, origin: "upstream" },
  ExternalOn: { json: "externalon", kind: "bool", default: true, origin: "upstream" },
  EnforceRFC952: { json: "enforceRFC952", kind: "bool", default: false, origin: "upstream" },
  SetTruncateBit: { json: "SetTruncateBit", kind: "bool", default: true, origin: "upstream" },
  EnumerationOn: { json: "EnumerationOn", kind: "bool", default: true, origin: "upstream" },
  MesosHTTPSOn: { json: "mesosHTTPSOn", kind: "bool", default: false, origin: "upstream" },
  CACertFile: { json: "caCertFile", kind: "string", default: "", origin: "upstream" },
  CertFile: { json: "certFile", kind: "string", default: "", origin: "upstream" },
  KeyFile: { json: "keyFile", kind: "string", default: "", origin: "upstream" },
  MesosCredentials: {
    json: "mesosCredentials",
    kind: "creds",
    default: { Principal: "", Secret: "" },
    origin: "upstream",
  },
  IAMConfigFile: { json: "IAMConfigFile", kind: "string", default: "", origin: "upstream" },
  MesosAuthentication: { json: "mesosAuthentication", kind: "string", default: "", origin: "upstream" },
  ForwardCacheSize: { json: "forwardCacheSize", kind: "int", default: 10000, origin: "ours" },
  ForwardCacheMaxTTL: { json: "forwardCacheMaxTTL", kind: "int", default: 3600, origin: "ours" },
  ForwardMaxInFlight: { json: "forwardMaxInFlight", kind: "int", default: 2048, origin: "ours" },
  StateMaxBytes: { json: "stateMaxBytes", kind: "int", default: 256 * 1024 * 1024, origin: "ours" },
  ReadyMaxAgeSeconds: { json: "readyMaxAgeSeconds", kind: "int", default: 0, origin: "ours" },
  EventStreamOn: { json: "EventStreamOn", kind: "bool", default: true, origin: "ours" },
};

/** Every key's name, in {@link CONFIG_KEYS} order. */
export const CONFIG_NAMES = Object.keys(CONFIG_KEYS) as ReadonlyArray<keyof Config>;

/** Upstream's keys in the order its struct marshals them: the keys of `/v1/config`. */
export const UPSTREAM_NAMES: ReadonlyArray<keyof UpstreamConfig> = CONFIG_NAMES.filter(
  (name): name is keyof UpstreamConfig => CONFIG_KEYS[name].origin === "upstream",
);

/** The defaults of {@link CONFIG_KEYS}, as a fresh object whose lists and maps are copies. */
export function defaultConfig(): Config {
  const config: Partial<Record<keyof Config, unknown>> = {};
  for (const name of CONFIG_NAMES) config[name] = structuredClone(CONFIG_KEYS[name].default);
  return config as Config;
}
