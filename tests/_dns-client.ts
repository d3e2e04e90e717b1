/** A tiny DNS client for tests: one query over UDP or TCP on loopback, decoded with dns-packet. */
import { createSocket } from "node:dgram";
import { connect, createServer } from "node:net";
import { type DecodedMessage, decodeMessage, encodeMessage } from "../src/core/dns/codec.ts";
import { FrameReader, frameMessage } from "../src/core/dns/tcp-framing.ts";

export function queryBytes(
  name: string,
  type: string,
  options: { id?: number; edns?: number } = {},
): Uint8Array {
  return encodeMessage({
    type: "query",
    id: options.id ?? Math.floor(Math.random() * 65536),
    flags: 256,
    questions: [{ type: type as never, name }],
    additionals: options.edns ? [{ type: "OPT", name: ".", udpPayloadSize: options.edns } as never] : [],
  });
}

/** Sends raw bytes over UDP; resolves with the reply bytes or undefined on timeout. */
export function udpExchange(
  host: string,
  port: number,
  message: Uint8Array,
  timeoutMs = 1000,
): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket(host.includes(":") ? "udp6" : "udp4");
    const timer = setTimeout(() => {
      socket.close();
      resolve(undefined);
    }, timeoutMs);
    socket.once("message", (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(new Uint8Array(msg));
    });
    socket.send(message, port, host);
  });
}

/** Sends several framed messages on one TCP connection; resolves with the replies received in time. */
export function tcpExchange(
  host: string,
  port: number,
  messages: Uint8Array[],
  timeoutMs = 2000,
): Promise<Uint8Array[]> {
  return new Promise((resolve) => {
    const replies: Uint8Array[] = [];
    const reader = new FrameReader();
    const socket = connect({ host, port });
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(replies);
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on("connect", () => {
      for (const m of messages) socket.write(frameMessage(m));
    });
    socket.on("data", (chunk) => {
      for (const m of reader.push(new Uint8Array(chunk))) replies.push(m);
      if (replies.length >= messages.length) done();
    });
    socket.on("error", done);
    socket.on("close", done);
  });
}

export async function ask(
  host: string,
  port: number,
  name: string,
  type: string,
): Promise<DecodedMessage | undefined> {
  const reply = await udpExchange(host, port, queryBytes(name, type));
  return reply ? decodeMessage(reply) : undefined;
}

/** Polls until `name` gets a NOERROR answer with records, or throws after `timeoutMs`. */
export async function waitForDns(host: string, port: number, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const reply = await ask(host, port, name, "A");
    if (reply && reply.rcode === "NOERROR" && reply.answers.length > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${host}:${port} did not answer ${name} within ${timeoutMs} ms`);
}

/** A TCP port that was free a moment ago (UDP on the same number is very likely free too). */
export function freePort(): Promise<number> {
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
