/**
 * Small fake DNS resolvers for forwarder tests: a UDP socket and a TCP listener on the same
 * port, built on any Platform (memory or a real runtime), answering through a callback.
 */
import type { DecodedMessage, MessageToEncode } from "../src/core/dns/codec.ts";
import { decodeMessage, encodeMessage } from "../src/core/dns/codec.ts";
import { FrameReader, frameMessage } from "../src/core/dns/tcp-framing.ts";
import type { Platform, TcpServer, UdpSocket } from "../src/core/platform.ts";

export type Transport = "udp" | "tcp";

/** What a fake resolver does with a query: reply bytes, or undefined to stay silent. */
export type Answerer = (
  query: DecodedMessage,
  raw: Uint8Array,
  transport: Transport,
) => Uint8Array | undefined | Promise<Uint8Array | undefined>;

export interface FakeResolver {
  readonly address: string;
  readonly port: number;
  /** `address:port` as written in a config. */
  readonly spec: string;
  /** Queries received, by transport. */
  readonly received: { udp: number; tcp: number };
  /** TCP connections accepted. */
  readonly connections: () => number;
  /** The UDP socket, to send from (spoofing tests). */
  readonly udp: UdpSocket;
  close(): Promise<void>;
}

/** Starts a resolver on `address` (default 127.0.0.1) and a free port, UDP and TCP. */
export async function startFakeResolver(
  platform: Platform,
  answer: Answerer,
  address = "127.0.0.1",
): Promise<FakeResolver> {
  const received = { udp: 0, tcp: 0 };
  let accepted = 0;
  for (let tries = 0; tries < 20; tries++) {
    const udp = await platform.bindUdp({
      address,
      port: 0,
      onMessage(data, from, socket) {
        received.udp++;
        const raw = data.slice();
        const query = decodeMessage(raw);
        if (!query) return;
        void Promise.resolve(answer(query, raw, "udp")).then((reply) => {
          if (reply) socket.send(reply, from);
        });
      },
    });
    let tcp: TcpServer;
    try {
      tcp = await platform.listenTcp({
        address,
        port: udp.local.port,
        onConnection(conn) {
          accepted++;
          const reader = new FrameReader();
          return {
            onData(chunk) {
              for (const raw of reader.push(chunk) ?? []) {
                received.tcp++;
                const query = decodeMessage(raw);
                if (!query) continue;
                void Promise.resolve(answer(query, raw, "tcp")).then((reply) => {
                  if (reply) conn.write(frameMessage(reply));
                });
              }
            },
            onClose() {},
          };
        },
      });
    } catch {
      udp.close();
      continue;
    }
    const port = udp.local.port;
    return {
      address,
      port,
      spec: address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`,
      received,
      connections: () => accepted,
      udp,
      async close() {
        udp.close();
        await tcp.close();
      },
    };
  }
  throw new Error("Cannot find a port free for both UDP and TCP");
}

/** A reply to `query` with its ID and question; flags default to QR RD RA (AA when `aa`). */
export function reply(
  query: DecodedMessage,
  fields: Partial<Pick<MessageToEncode, "answers" | "authorities" | "additionals">> & {
    rcode?: number;
    aa?: boolean;
    tc?: boolean;
    id?: number;
  } = {},
): Uint8Array {
  const flags = 0x0100 | 0x0080 | (fields.aa ? 0x0400 : 0) | (fields.tc ? 0x0200 : 0) | (fields.rcode ?? 0);
  return encodeMessage({
    id: fields.id ?? query.id,
    type: "response",
    flags,
    questions: query.questions,
    answers: fields.answers ?? [],
    authorities: fields.authorities ?? [],
    additionals: fields.additionals ?? [],
  });
}

/** Builds a query message (RD set) for `name`/`type`, optionally with EDNS. */
export function query(
  name: string,
  type: string,
  options: { id?: number; edns?: number; rd?: boolean; cd?: boolean; do?: boolean } = {},
): Uint8Array {
  const flags = (options.rd === false ? 0 : 0x0100) | (options.cd ? 0x0010 : 0);
  return encodeMessage({
    id: options.id ?? 0x1234,
    type: "query",
    flags,
    questions: [{ name, type: type as "A", class: "IN" }],
    additionals:
      options.edns === undefined
        ? []
        : [
            {
              name: ".",
              type: "OPT",
              udpPayloadSize: options.edns,
              flags: options.do ? 0x8000 : 0,
              options: [],
            } as never,
          ],
  });
}

/**
 * A reply built by hand with name compression (dns-packet does not compress): the query's
 * header and question, then one A record per address, each owned by a pointer to the question.
 */
export function compressedAReply(raw: Uint8Array, addresses: string[], ttl: number, aa = true): Uint8Array {
  let questionEnd = 12;
  while (raw[questionEnd] !== 0) questionEnd += raw[questionEnd]! + 1;
  questionEnd += 5;
  const out = new Uint8Array(questionEnd + addresses.length * 16);
  out.set(raw.subarray(0, questionEnd));
  out[2] = 0x81 | (aa ? 0x04 : 0) | (raw[2]! & 0x01);
  out[3] = 0x80;
  out.set([0, 1, addresses.length >> 8, addresses.length & 0xff, 0, 0, 0, 0], 4);
  addresses.forEach((ip, i) => {
    const o = questionEnd + i * 16;
    out.set([0xc0, 12, 0, 1, 0, 1, ttl >>> 24, (ttl >> 16) & 0xff, (ttl >> 8) & 0xff, ttl & 0xff, 0, 4], o);
    out.set(ip.split(".").map(Number), o + 12);
  });
  return out;
}
