/**
 * The few `Deno` members the Deno adapter uses, declared here (Deno's own types are not
 * installed) and reached lazily so any bundle can carry the adapter.
 *
 * @module
 */

interface DenoNetAddr {
  readonly hostname: string;
  readonly port: number;
}

export interface DenoHttpServer {
  readonly addr: DenoNetAddr;
  shutdown(): Promise<void>;
}

export interface DenoHttpClient {
  close(): void;
}

/** The subset of the `Deno` namespace in use. */
export interface DenoApi {
  serve(
    options: { hostname: string; port: number; onListen(addr: DenoNetAddr): void },
    handler: (request: Request, info: { remoteAddr: DenoNetAddr }) => Response | Promise<Response>,
  ): DenoHttpServer;
  createHttpClient(options: { caCerts?: string[]; cert?: string; key?: string }): DenoHttpClient;
  readTextFile(path: string): Promise<string>;
  networkInterfaces(): { readonly address: string; readonly family: "IPv4" | "IPv6" }[];
  readonly env: { get(name: string): string | undefined };
  cwd(): string;
  addSignalListener(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
  readonly permissions: {
    requestSync(descriptor: { name: "net"; host: string }): {
      readonly state: "granted" | "denied" | "prompt";
    };
  };
  exit(code: number): never;
}

/** The `Deno` global; throws outside Deno. */
export function deno(): DenoApi {
  const api = (globalThis as { Deno?: DenoApi }).Deno;
  if (api === undefined) throw new Error("The Deno adapter needs the Deno runtime");
  return api;
}
