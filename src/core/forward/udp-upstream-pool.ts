/**
 * Forwarding over UDP through a few long-lived sockets (no socket per query): each query
 * leaves with a fresh random ID from an OS-chosen source port, and a reply is taken only
 * when its source address and port, ID and question all match (RFC 5452). Anything else is
 * dropped and reported as stray.
 *
 * Source ports do not stay fixed for the process lifetime: a socket that has carried
 * `rotateAfterQueries` queries or is `rotateAfterMs` old is replaced by a freshly bound one
 * (a new random port); the old socket takes no new queries and is closed once the replies it
 * still waits for have come or timed out.
 *
 * @module
 */

import { get16, put16 } from "../dns/codec.ts";
import { canonicalIp } from "../net/ip.ts";
import type { Platform, SocketAddress, UdpSocket } from "../platform.ts";
import type { ExchangeResult } from "./_upstream-exchange.ts";
import { FAILED, judgeReply, TIMEOUT } from "./_upstream-exchange.ts";
import type { Upstream } from "./zone-routing.ts";

export interface UdpUpstreamPoolOptions {
  readonly platform: Platform;
  /** 16-bit query IDs. */
  readonly nextId: () => number;
  /** Sockets per address family (default 4). */
  readonly socketsPerFamily?: number;
  /** A datagram that answers nothing we asked; `expected` is the resolver whose query ID it carried. */
  readonly onStray?: (from: SocketAddress, expected: Upstream | undefined) => void;
  /** Replace a socket after it has sent this many queries (default 10 000). */
  readonly rotateAfterQueries?: number;
  /** Replace a socket once it is this old, in milliseconds (default 10 minutes). */
  readonly rotateAfterMs?: number;
  /** Milliseconds clock for socket ages (default `Date.now`). */
  readonly now?: () => number;
}

export interface UdpUpstreamPool {
  /** Sends `query` (not modified) to `up` and waits up to `timeoutMs` for the matching reply. */
  exchange(up: Upstream, query: Uint8Array, questionEnd: number, timeoutMs: number): Promise<ExchangeResult>;
  /** Queries waiting for a reply (each holds one timer). */
  readonly pending: number;
  /** Sockets open: in use, or replaced and still waiting for replies. */
  readonly sockets: number;
  /** Fails every waiting query and closes the sockets. */
  close(): void;
}

interface Pending {
  readonly up: Upstream;
  readonly sent: Uint8Array;
  readonly questionEnd: number;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly resolve: (result: ExchangeResult) => void;
}

interface Slot {
  readonly socket: UdpSocket;
  readonly pending: Map<number, Pending>;
  /** When the socket was bound, or binding its replacement last failed. */
  since: number;
  /** Queries sent from this socket. */
  sent: number;
  /** A replacement is being bound. */
  replacing: boolean;
  /** Replaced: takes no new queries, closed once `pending` is empty. */
  retired: boolean;
}

export function createUdpUpstreamPool(options: UdpUpstreamPoolOptions): UdpUpstreamPool {
  const { platform, nextId, onStray } = options;
  const now = options.now ?? Date.now;
  const perFamily = Math.max(1, options.socketsPerFamily ?? 4);
  const maxQueries = Math.max(1, options.rotateAfterQueries ?? 10_000);
  const maxAgeMs = options.rotateAfterMs ?? 10 * 60_000;
  const ready = new Map<4 | 6, Slot[]>();
  const binding = new Map<4 | 6, Promise<Slot[]>>();
  /** Every open socket, in use or retired. */
  const open = new Set<Slot>();
  let turn = 0;
  let closed = false;

  function onMessage(slot: Slot, data: Uint8Array, from: SocketAddress): void {
    const p = data.length >= 12 ? slot.pending.get(get16(data, 0)) : undefined;
    if (!p) {
      onStray?.(from, undefined);
      return;
    }
    const verdict =
      from.port === p.up.port && sameAddress(from.address, p.up)
        ? judgeReply(data, p.sent, p.questionEnd)
        : "stray";
    if (verdict === "stray") {
      onStray?.(from, p.up);
      return;
    }
    // The adapter may reuse `data`'s buffer: the reply handed on is a copy (also of a Node buffer object).
    settle(
      slot,
      get16(data, 0),
      verdict === "malformed" ? FAILED : { outcome: "ok", reply: new Uint8Array(data), layout: verdict },
    );
  }

  /** Ends the wait for query `id` of `slot`; a retired socket closes with its last wait. */
  function settle(slot: Slot, id: number, result: ExchangeResult): void {
    const p = slot.pending.get(id);
    if (!p) return;
    slot.pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(result);
    if (slot.retired && slot.pending.size === 0) closeSlot(slot);
  }

  function closeSlot(slot: Slot): void {
    if (!open.delete(slot)) return;
    slot.socket.close();
  }

  async function bindSlot(family: 4 | 6): Promise<Slot> {
    let slot: Slot | undefined;
    const socket = await platform.bindUdp({
      address: family === 4 ? "0.0.0.0" : "::",
      port: 0,
      onMessage: (d, f) => {
        if (slot) onMessage(slot, d, f);
      },
    });
    slot = { socket, pending: new Map(), since: now(), sent: 0, replacing: false, retired: false };
    if (closed) socket.close();
    else open.add(slot);
    return slot;
  }

  function bindFamily(family: 4 | 6): Promise<Slot[]> {
    const existing = binding.get(family);
    if (existing) return existing;
    const promise = Promise.allSettled(Array.from({ length: perFamily }, () => bindSlot(family))).then(
      (results) => {
        const slots: Slot[] = [];
        for (const r of results) if (r.status === "fulfilled") slots.push(r.value);
        const failed = results.find((r) => r.status === "rejected");
        if (failed) {
          // Let a later query try again (e.g. IPv6 not available yet).
          for (const slot of slots) closeSlot(slot);
          binding.delete(family);
          throw failed.reason;
        }
        if (!closed) ready.set(family, slots);
        return slots;
      },
    );
    binding.set(family, promise);
    return promise;
  }

  /** Binds a replacement for the socket at `index` of `slots` and retires the old one. */
  function rotate(slots: Slot[], index: number, old: Slot, family: 4 | 6): void {
    old.replacing = true;
    bindSlot(family).then(
      (fresh) => {
        if (closed) return;
        slots[index] = fresh;
        old.retired = true;
        if (old.pending.size === 0) closeSlot(old);
      },
      () => {
        // Keep the old socket; try again after as many queries (or as long) once more.
        old.replacing = false;
        old.sent = 0;
        old.since = now();
      },
    );
  }

  function send(
    family: 4 | 6,
    slots: Slot[],
    up: Upstream,
    query: Uint8Array,
    questionEnd: number,
    timeoutMs: number,
  ) {
    const index = turn++ % slots.length;
    const slot = slots[index]!;
    if (slot.pending.size >= 0xffff) return Promise.resolve(FAILED);
    if (!slot.replacing && (++slot.sent >= maxQueries || now() - slot.since >= maxAgeMs)) {
      rotate(slots, index, slot, family);
    }
    let id = nextId();
    while (slot.pending.has(id)) id = nextId();
    const sent = new Uint8Array(query); // a copy, also of a Node buffer object
    put16(sent, 0, id);
    return new Promise<ExchangeResult>((resolve) => {
      const timer = setTimeout(() => settle(slot, id, TIMEOUT), timeoutMs);
      slot.pending.set(id, { up, sent, questionEnd, timer, resolve });
      slot.socket.send(sent, up);
    });
  }

  return {
    async exchange(up, query, questionEnd, timeoutMs) {
      if (closed) return FAILED;
      const slots = ready.get(up.family);
      if (slots) return send(up.family, slots, up, query, questionEnd, timeoutMs);
      try {
        const bound = await bindFamily(up.family);
        if (closed) return FAILED;
        return send(up.family, bound, up, query, questionEnd, timeoutMs);
      } catch {
        return FAILED;
      }
    },
    get pending() {
      let n = 0;
      for (const s of open) n += s.pending.size;
      return n;
    },
    get sockets() {
      return open.size;
    },
    close() {
      if (closed) return;
      closed = true;
      for (const slot of [...open]) {
        const waiting = [...slot.pending.values()];
        slot.pending.clear();
        for (const p of waiting) {
          clearTimeout(p.timer);
          p.resolve(FAILED);
        }
        closeSlot(slot);
      }
      ready.clear();
    },
  };
}

function sameAddress(text: string, up: Upstream): boolean {
  return text === up.address || canonicalIp(text) === up.address;
}
