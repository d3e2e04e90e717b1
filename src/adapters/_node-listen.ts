/**
 * Listening with a node:net or node:http server (Node, and Deno's node:net TCP): bind,
 * map a bind error, report the bound port, and close with every open connection.
 *
 * @module
 */
import type { Server } from "node:net";
import type { SocketAddress } from "../core/platform.ts";
import { hostPort } from "./_address.ts";
import { mapError } from "./_map-error.ts";

export interface Listening {
  readonly local: SocketAddress;
  close(): Promise<void>;
}

/** Binds `server`; `what` names it in errors (`TCP`, `HTTP`); `dropConnections` runs on close. */
export function listenNodeServer(
  server: Server,
  options: { readonly address: string; readonly port: number },
  what: string,
  dropConnections: () => void,
): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.once("error", (err) => {
      reject(mapError(err, `Cannot listen on ${what} ${hostPort(options.address, options.port)}`));
    });
    server.listen({ host: options.address, port: options.port, exclusive: true }, () => {
      server.removeAllListeners("error");
      server.on("error", () => {});
      const bound = server.address();
      const port = typeof bound === "object" && bound !== null ? bound.port : options.port;
      resolve({
        local: { address: options.address, port },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            dropConnections();
          }),
      });
    });
  });
}
