/**
 * The runtime-neutral kit of the contract suite: the case shape, a tiny assert helper and a
 * runner that turns one case into one result. No test framework, no runtime API: the same
 * code runs in-process under bun:test and as a Node bundle or a Deno script.
 *
 * @module
 */
import type { ZkClientFactory } from "../../src/core/mesos/zk-client.ts";
import type { NetErrorCode, Platform, RuntimeName } from "../../src/core/platform.ts";

/** Environment variables the runners set for cases that need a fixture they start. */
export const FIXTURE_ENV = {
  httpsUrl: "CONTRACT_HTTPS_URL",
  caFile: "CONTRACT_CA_FILE",
  otherCaFile: "CONTRACT_OTHER_CA_FILE",
  blackholePort: "CONTRACT_BLACKHOLE_PORT",
  /** `127.0.0.1:<port>` of a ZooKeeper server. */
  zkServers: "CONTRACT_ZK_SERVERS",
  /** Always set by the runners to `present`. */
  marker: "CONTRACT_MARKER",
} as const;

/** Fixtures needing an external tool: `tls` (openssl), `blackhole` (python3), `zookeeper` (Debian's). */
export type Fixture = "tls" | "blackhole" | "zookeeper";

/** Adapters beside the Platform that some cases exercise, as the adapter selector gives them. */
export interface CaseAdapters {
  /** `loadZkClientFactory()`; absent where there is no ZooKeeper (the memory platform). */
  readonly createZkClient?: ZkClientFactory;
}

export interface ContractCase {
  readonly name: string;
  readonly needs?: readonly Fixture[];
  /** Known gaps: the runtime on which the case cannot pass, and why. */
  readonly skip?: Partial<Record<RuntimeName, string>>;
  run(platform: Platform, assert: Assert, adapters: CaseAdapters): Promise<void>;
}

export interface CaseResult {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly skipped?: string;
}

export interface Assert {
  ok(value: unknown, message: string): void;
  equal<T>(actual: T, expected: T, message: string): void;
  bytes(actual: Uint8Array, expected: Uint8Array, message: string): void;
  /** Awaits `promise` and checks it rejected with a NetError of `code`. */
  rejects(promise: Promise<unknown>, code: NetErrorCode, message: string): Promise<void>;
}

class AssertionFailed extends Error {
  override name = "AssertionFailed";
}

export const assert: Assert = {
  ok(value: unknown, message: string): void {
    if (!value) throw new AssertionFailed(message);
  },
  equal<T>(actual: T, expected: T, message: string): void {
    if (!Object.is(actual, expected)) {
      throw new AssertionFailed(
        `${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
      );
    }
  },
  bytes(actual: Uint8Array, expected: Uint8Array, message: string): void {
    if (actual.byteLength !== expected.byteLength) {
      throw new AssertionFailed(
        `${message}: expected ${expected.byteLength} bytes, got ${actual.byteLength}`,
      );
    }
    for (let i = 0; i < actual.byteLength; i++) {
      if (actual[i] !== expected[i]) throw new AssertionFailed(`${message}: bytes differ at offset ${i}`);
    }
  },
  async rejects(promise: Promise<unknown>, code: NetErrorCode, message: string): Promise<void> {
    let error: unknown;
    try {
      await promise;
    } catch (err) {
      error = err;
    }
    if (error === undefined)
      throw new AssertionFailed(`${message}: expected a rejection with ${code}, got success`);
    const got = (error as { name?: unknown; code?: unknown }) ?? {};
    if (got.name !== "NetError" || got.code !== code) {
      throw new AssertionFailed(
        `${message}: expected NetError ${code}, got ${String(got.name)} ${String(got.code)}: ${String(error)}`,
      );
    }
  },
};

/** Settles with `promise` or fails after `ms` naming `what`; the timer never outlives it. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AssertionFailed(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A promise with its resolver, for events awaited by a case. */
export function deferred<T = void>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Deterministic bytes for data checks. */
export function pattern(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

/** Concatenates received chunks. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** The value of a fixture variable, or a failure saying which runner provides it. */
export function fixtureEnv(platform: Platform, name: string): string {
  const value = platform.env(name);
  if (value === undefined || value === "") {
    throw new AssertionFailed(`${name} is not set: run the suite through tests/contract/*.test.ts`);
  }
  return value;
}

/** Runs one case on `platform`, never throwing; a declared gap becomes a skip. */
export async function runCase(
  c: ContractCase,
  platform: Platform,
  adapters: CaseAdapters = {},
  timeoutMs = 15_000,
): Promise<CaseResult> {
  const gap = c.skip?.[platform.name];
  if (gap !== undefined) return { name: c.name, ok: true, skipped: gap };
  try {
    await within(c.run(platform, assert, adapters), timeoutMs, `case "${c.name}"`);
    return { name: c.name, ok: true };
  } catch (err) {
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { name: c.name, ok: false, error: text };
  }
}
