/**
 * An in-process Platform for unit tests: a virtual network (see `_memory-net.ts`) where
 * sockets, listeners and HTTP servers reach each other, and test controls for files, host
 * names, interfaces, environment and signals. Deterministic: no real I/O, no real ports.
 *
 * HTTPS URLs reach the same handlers as HTTP (there is no TLS; `tls` options are ignored).
 *
 * @module
 */
import {
  type HttpRequestOptions,
  type HttpResponseData,
  type HttpServeOptions,
  type HttpServer,
  type HttpStreamOptions,
  type HttpStreamResponse,
  NetError,
  type Platform,
  type UdpBindOptions,
  type UdpSocket,
} from "../core/platform.ts";
import { hostPort, unmapAddress } from "./_address.ts";
import {
  requestWithRedirects,
  type SendRequest,
  type SentResponse,
  streamWithRedirects,
} from "./_http-client.ts";
import {
  bindMemoryUdp,
  connectMemoryTcp,
  listenMemoryTcp,
  type MemoryListener,
  PortTable,
  sourceAddress,
} from "./_memory-net.ts";

/** The memory Platform plus the controls a test uses to shape its world. */
export interface MemoryPlatform extends Platform {
  readonly name: "memory";
  /** path -> contents, for `readTextFile`. */
  readonly files: Map<string, string>;
  /** name -> addresses, for `lookupHost` and HTTP URLs with names (`localhost` is preset). */
  readonly hosts: Map<string, string[]>;
  /** What `localAddresses` returns. */
  readonly interfaces: string[];
  /** Variables for `env` (named so because `env` is the contract's reader). */
  readonly environment: Map<string, string>;
  /** Runs the handlers registered with `onSignal` for `signal`. */
  raise(signal: "SIGINT" | "SIGTERM"): void;
}

const LITERAL = /^[0-9.]+$|:/;

/** A fresh, empty virtual world. */
export function memoryPlatform(): MemoryPlatform {
  const udp = new PortTable<UdpSocket & { deliver: UdpBindOptions["onMessage"] }>();
  const tcp = new PortTable<MemoryListener>();
  const files = new Map<string, string>();
  const hosts = new Map<string, string[]>([["localhost", ["127.0.0.1", "::1"]]]);
  const environment = new Map<string, string>();
  const interfaces: string[] = [];
  const signals: { signal: string; handler: () => void }[] = [];

  function resolveName(host: string): string[] | undefined {
    return LITERAL.test(host) ? [host] : hosts.get(host.toLowerCase());
  }

  async function send(req: SendRequest): Promise<SentResponse> {
    const host = unmapAddress(req.url.hostname);
    const address = resolveName(host)?.[0];
    if (address === undefined) throw new NetError("NOT_FOUND", `Cannot look up host "${host}"`);
    const port = Number(req.url.port || (req.url.protocol === "https:" ? 443 : 80));
    const target = tcp.find(address, port)?.fetch;
    if (target === undefined) {
      throw new NetError(
        "CONNECTION_REFUSED",
        `Cannot connect to ${hostPort(address, port)}: connection refused`,
      );
    }
    const request = new Request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: req.signal,
    });
    const res = await target(request, { address: sourceAddress("0.0.0.0", address), port: tcp.ephemeral() });
    // Real clients decode gzip transparently; so does this one.
    const gzip = res.headers.get("content-encoding")?.toLowerCase() === "gzip";
    const body = gzip && res.body !== null ? res.body.pipeThrough(new DecompressionStream("gzip")) : res.body;
    return { status: res.status, headers: res.headers, body: body as AsyncIterable<Uint8Array> | null };
  }

  function serveHttp(options: HttpServeOptions): Promise<HttpServer> {
    try {
      const listener = tcp.claim(options.address, options.port, "HTTP", (local) => ({
        local,
        fetch: options.fetch,
      }));
      return Promise.resolve({ local: listener.local, close: async () => tcp.release(listener) });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  return {
    name: "memory",
    files,
    hosts,
    interfaces,
    environment,
    bindUdp: bindMemoryUdp(udp),
    listenTcp: listenMemoryTcp(tcp),
    connectTcp: connectMemoryTcp(tcp),
    serveHttp,
    httpRequest: (url: string, options: HttpRequestOptions): Promise<HttpResponseData> =>
      requestWithRedirects(url, options, send),
    httpStream: (url: string, options: HttpStreamOptions): Promise<HttpStreamResponse> =>
      streamWithRedirects(url, options, send),
    async lookupHost(host: string): Promise<string[]> {
      const found = resolveName(host);
      if (found === undefined || found.length === 0) {
        throw new NetError("NOT_FOUND", `Cannot look up host "${host}": no such host`);
      }
      return [...found];
    },
    // The virtual network has no TLS: only the PEM markers are looked at.
    checkTlsMaterial(material) {
      if (material.ca !== undefined && !material.ca.includes("-----BEGIN CERTIFICATE-----"))
        return "ca: no PEM certificate";
      if (material.cert !== undefined && !material.cert.includes("-----BEGIN CERTIFICATE-----"))
        return "cert: no PEM certificate";
      return undefined;
    },
    async readTextFile(path: string): Promise<string> {
      const text = files.get(path);
      if (text === undefined) throw new NetError("NOT_FOUND", `Cannot read file "${path}": no such file`);
      return text;
    },
    localAddresses(): string[] {
      return [...interfaces];
    },
    env: (name) => environment.get(name),
    cwd: () => "/",
    onSignal(signal, handler): void {
      signals.push({ signal, handler });
    },
    raise(signal): void {
      for (const s of signals) if (s.signal === signal) s.handler();
    },
  };
}
