/**
 * The effective configuration: upstream Mesos-DNS's `config.json` settings under their
 * canonical names (SPEC 2.2, the key order of `/v1/config`), plus this project's own
 * additions, which upstream ignores as unknown keys.
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

/** Upstream's settings, in `/v1/config` order. */
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
   * many KiB, and never a reply over 4096 bytes. Key `forwardCacheSize`.
   */
  ForwardCacheSize: number;
  /** Upper bound on the TTL of a cached forwarded answer, seconds. Key `forwardCacheMaxTTL`. */
  ForwardCacheMaxTTL: number;
  /** Forwarded queries in flight at once; excess gets SERVFAIL. Key `forwardMaxInFlight`. */
  ForwardMaxInFlight: number;
  /** A state document larger than this many bytes is abandoned. Key `stateMaxBytes`. */
  StateMaxBytes: number;
  /** `/ready` fails when the loaded state is older than this; 0 means 3 x RefreshSeconds. Key `readyMaxAgeSeconds`. */
  ReadyMaxAgeSeconds: number;
  /**
   * Follow the leading master's operator API event stream for records fresh within
   * milliseconds; polling continues as reconciliation. False: poll only, as upstream.
   * Key `EventStreamOn`.
   */
  EventStreamOn: boolean;
}

export type Config = UpstreamConfig & ExtendedConfig;

/** Upstream's defaults (SPEC 2.2) and ours. `File` and `SOASerial` are filled in at load time. */
export function defaultConfig(): Config {
  return {
    RefreshSeconds: 60,
    Port: 53,
    Timeout: 5,
    StateTimeoutSeconds: 300,
    ZkDetectionTimeout: 30,
    HttpPort: 8123,
    TTL: 60,
    SRVRecordDefaultWeight: 1,
    SOASerial: 0,
    SOARefresh: 60,
    SOARetry: 600,
    SOAExpire: 86400,
    SOAMinttl: 60,
    SOAMname: "ns1.mesos.",
    SOARname: "root.ns1.mesos.",
    Masters: null,
    ZoneResolvers: {},
    Resolvers: ["8.8.8.8"],
    IPSources: ["netinfo", "mesos", "host"],
    Zk: "",
    Domain: "mesos",
    File: "",
    Listener: "0.0.0.0",
    HTTPListener: "0.0.0.0",
    RecurseOn: true,
    DnsOn: true,
    HttpOn: true,
    ExternalOn: true,
    EnforceRFC952: false,
    SetTruncateBit: true,
    EnumerationOn: true,
    MesosHTTPSOn: false,
    CACertFile: "",
    CertFile: "",
    KeyFile: "",
    MesosCredentials: { Principal: "", Secret: "" },
    IAMConfigFile: "",
    MesosAuthentication: "",
    ForwardCacheSize: 10000,
    ForwardCacheMaxTTL: 3600,
    ForwardMaxInFlight: 2048,
    StateMaxBytes: 256 * 1024 * 1024,
    ReadyMaxAgeSeconds: 0,
    EventStreamOn: true,
  };
}
