/**
 * Forwarding over TCP: one connection per resolver, reused for several queries at once
 * (pipelined, matched by random ID and question, RFC 7766 6.2.1) while it stays open;
 * reopened when it closes; closed after `idleMs` without queries.
 *
 * @module
 */

import { get16, put16 } from "../dns/codec.ts";
import { FrameReader, frameMessage } from "../dns/tcp-framing.ts";
import type { Platform, SocketAddress, TcpConnection } from "../platform.ts";
import { NetError } from "../platform.ts";
import type { ExchangeResult } from "./_upstream-exchange.ts";
import { FAILED, judgeReply, REFUSED, TIMEOUT } from "./_upstream-exchange.ts";
import type { Upstream } from "./zone-routing.ts";

export interface TcpUpstreamsOptions {
  readonly platform: Platform;
  readonly nextId: () => number;
  /** Close a connection after this long without queries (default 10 000 ms). */
  readonly idleMs?: number;
  /** A message that answers nothing we asked on that connection. */
  readonly onStray?: (from: SocketAddress, expected: Upstream | undefined) => void;
}

export interface TcpUpstreams {
  /** Sends `query` (not modified) to `up`; `timeoutMs` bounds the connect and, separately, the reply. */
  exchange(up: Upstream, query: Uint8Array, questionEnd: number, timeoutMs: number): Promise<ExchangeResult>;
  /** Queries waiting for a reply (each holds one timer). */
  readonly pending: number;
  /** Connections open or being opened. */
  readonly connections: number;
  /** Fails every waiting query and closes every connection. */
  close(): void;
}

interface Pending {
  readonly sent: Uint8Array;
  readonly questionEnd: number;
  readonly timer: ReturnType<typeof setTimeout>;
  /** Called with undefined when the connection closed before the reply. */
  readonly settle: (result: ExchangeResult | undefined) => void;
}

interface Conn {
  readonly up: Upstream;
  readonly ready: Promise<TcpConnection>;
  readonly pending: Map<number, Pending>;
  idle: ReturnType<typeof setTimeout> | undefined;
  conn: TcpConnection | undefined;
  closed: boolean;
}

export function createTcpUpstreams(options: TcpUpstreamsOptions): TcpUpstreams {
  const { platform, nextId, onStray } = options;
  const idleMs = options.idleMs ?? 10_000;
  const conns = new Map<string, Conn>();
  let closed = false;

  function teardown(c: Conn): void {
    if (c.closed) return;
    c.closed = true;
    if (conns.get(c.up.label) === c) conns.delete(c.up.label);
    if (c.idle !== undefined) clearTimeout(c.idle);
    c.idle = undefined;
    const waiting = [...c.pending.values()];
    c.pending.clear();
    for (const p of waiting) {
      clearTimeout(p.timer);
      p.settle(undefined);
    }
    c.conn?.close();
  }

  function armIdle(c: Conn): void {
    if (c.pending.size > 0 || c.closed || c.idle !== undefined) return;
    c.idle = setTimeout(() => {
      c.idle = undefined;
      teardown(c);
    }, idleMs);
  }

  function onMessage(c: Conn, msg: Uint8Array): void {
    if (msg.length < 12) return;
    const p = c.pending.get(get16(msg, 0));
    const verdict = p ? judgeReply(msg, p.sent, p.questionEnd) : "stray";
    if (!p || verdict === "stray") {
      onStray?.(c.up, p ? c.up : undefined);
      return;
    }
    c.pending.delete(get16(msg, 0));
    clearTimeout(p.timer);
    // A copy: FrameReader may hand out a view of a runtime buffer (a Node buffer object's slice() is one).
    p.settle(
      verdict === "malformed" ? FAILED : { outcome: "ok", reply: new Uint8Array(msg), layout: verdict },
    );
    armIdle(c);
  }

  function open(up: Upstream, timeoutMs: number): Conn {
    const reader = new FrameReader();
    const c: Conn = {
      up,
      pending: new Map(),
      idle: undefined,
      conn: undefined,
      closed: false,
      // The handlers and callbacks below run only after `c` is assigned (connecting is asynchronous).
      ready: platform
        .connectTcp({
          address: up.address,
          port: up.port,
          timeoutMs,
          handlers: {
            onData(chunk) {
              const messages = reader.push(chunk);
              if (!messages) return teardown(c);
              for (const m of messages) onMessage(c, m);
            },
            onClose: () => teardown(c),
          },
        })
        .then(
          (conn) => {
            c.conn = conn;
            if (closed || c.closed) conn.close();
            return conn;
          },
          (error: unknown) => {
            teardown(c);
            throw error;
          },
        ),
    };
    conns.set(up.label, c);
    return c;
  }

  async function attempt(
    up: Upstream,
    query: Uint8Array,
    questionEnd: number,
    timeoutMs: number,
    retry: boolean,
  ): Promise<ExchangeResult> {
    let c = conns.get(up.label);
    if (!c) c = open(up, timeoutMs);
    let conn: TcpConnection;
    try {
      conn = await c.ready;
    } catch (error) {
      const code = error instanceof NetError ? error.code : "OTHER";
      return code === "CONNECTION_REFUSED" ? REFUSED : code === "TIMED_OUT" ? TIMEOUT : FAILED;
    }
    if (closed) return FAILED;
    if (c.closed) return retry ? attempt(up, query, questionEnd, timeoutMs, false) : FAILED;
    const live = c;
    if (live.pending.size >= 0xffff) return FAILED;
    let id = nextId();
    while (live.pending.has(id)) id = nextId();
    const sent = new Uint8Array(query); // a copy, also of a Node buffer object
    put16(sent, 0, id);
    const result = await new Promise<ExchangeResult | undefined>((settle) => {
      const timer = setTimeout(() => {
        live.pending.delete(id);
        settle(TIMEOUT);
        armIdle(live);
      }, timeoutMs);
      if (live.idle !== undefined) clearTimeout(live.idle);
      live.idle = undefined;
      live.pending.set(id, { sent, questionEnd, timer, settle });
      conn.write(frameMessage(sent));
    });
    if (result) return result;
    // The connection closed before our reply: the server may have closed it while idle, or
    // after answering the queries it had read (RFC 7766 6.2.3, 6.2.1: a server need not answer
    // every pipelined query). Try once more on a fresh one.
    if (retry && !closed) return attempt(up, query, questionEnd, timeoutMs, false);
    return FAILED;
  }

  return {
    exchange(up, query, questionEnd, timeoutMs) {
      if (closed) return Promise.resolve(FAILED);
      return attempt(up, query, questionEnd, timeoutMs, true);
    },
    get pending() {
      let n = 0;
      for (const c of conns.values()) n += c.pending.size;
      return n;
    },
    get connections() {
      return conns.size;
    },
    close() {
      closed = true;
      for (const c of [...conns.values()]) teardown(c);
    },
  };
}
