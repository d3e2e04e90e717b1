/**
 * Forwarding over UDP through a few long-lived sockets (no socket per query): each query
 * leaves with a fresh random ID from an OS-chosen source port, and a reply is taken only
 * when its source address and port, ID and question all match (RFC 5452). Anything else is
 * dropped and reported as stray.
 *
 * @module
 */

import type { ExchangeResult } from "./_upstream-exchange.ts";
import { FAILED, judgeReply, TIMEOUT } from "./_upstream-exchange.ts";
import { get16, put16 } from "./codec.ts";
import { canonicalIp } from "./ip.ts";
import type { Platform, SocketAddress, UdpSocket } from "./platform.ts";
import type { Upstream } from "./zone-routing.ts";

export interface UdpUpstreamPoolOptions {
  readonly platform: Platform;
  /** 16-bit query IDs. */
  readonly nextId: () => number;
  /** Sockets per address family (default 4). */
  readonly socketsPerFamily?: number;
  /** A datagram that answers nothing we asked; `expected` is the resolver whose query ID it carried. */
  readonly onStray?: (from: SocketAddress, expected: Upstream | undefined) => void;
}

export interface UdpUpstreamPool {
  /** Sends `query` (not modified) to `up` and waits up to `timeoutMs` for the matching reply. */
  exchange(up: Upstream, query: Uint8Array, questionEnd: number, timeoutMs: number): Promise<ExchangeResult>;
  /** Queries waiting for a reply (each holds one timer). */
  readonly pending: number;
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
  socket: UdpSocket | undefined;
  readonly pending: Map<number, Pending>;
}

export function createUdpUpstreamPool(options: UdpUpstreamPoolOptions): UdpUpstreamPool {
  const { platform, nextId, onStray } = options;
  const perFamily = Math.max(1, options.socketsPerFamily ?? 4);
  const ready = new Map<4 | 6, Slot[]>();
  const binding = new Map<4 | 6, Promise<Slot[]>>();
  const allSlots: Slot[] = [];
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
    slot.pending.delete(get16(data, 0));
    clearTimeout(p.timer);
    // The adapter may reuse `data`'s buffer: the reply handed on is a copy (also of a Node buffer object).
    p.resolve(
      verdict === "malformed" ? FAILED : { outcome: "ok", reply: new Uint8Array(data), layout: verdict },
    );
  }

  function bindFamily(family: 4 | 6): Promise<Slot[]> {
    const existing = binding.get(family);
    if (existing) return existing;
    const address = family === 4 ? "0.0.0.0" : "::";
    const promise = Promise.all(
      Array.from({ length: perFamily }, async () => {
        const slot: Slot = { socket: undefined, pending: new Map() };
        slot.socket = await platform.bindUdp({
          address,
          port: 0,
          onMessage: (d, f) => onMessage(slot, d, f),
        });
        return slot;
      }),
    ).then(
      (slots) => {
        if (closed) for (const s of slots) s.socket?.close();
        else {
          ready.set(family, slots);
          allSlots.push(...slots);
        }
        return slots;
      },
      (error: unknown) => {
        // Let a later query try again (e.g. IPv6 not available yet).
        binding.delete(family);
        throw error;
      },
    );
    binding.set(family, promise);
    return promise;
  }

  function send(slots: Slot[], up: Upstream, query: Uint8Array, questionEnd: number, timeoutMs: number) {
    const slot = slots[turn++ % slots.length]!;
    if (slot.pending.size >= 0xffff || !slot.socket) return Promise.resolve(FAILED);
    let id = nextId();
    while (slot.pending.has(id)) id = nextId();
    const sent = new Uint8Array(query); // a copy, also of a Node buffer object
    put16(sent, 0, id);
    const socket = slot.socket;
    return new Promise<ExchangeResult>((resolve) => {
      const timer = setTimeout(() => {
        slot.pending.delete(id);
        resolve(TIMEOUT);
      }, timeoutMs);
      slot.pending.set(id, { up, sent, questionEnd, timer, resolve });
      socket.send(sent, up);
    });
  }

  return {
    async exchange(up, query, questionEnd, timeoutMs) {
      if (closed) return FAILED;
      const slots = ready.get(up.family);
      if (slots) return send(slots, up, query, questionEnd, timeoutMs);
      try {
        const bound = await bindFamily(up.family);
        if (closed) return FAILED;
        return send(bound, up, query, questionEnd, timeoutMs);
      } catch {
        return FAILED;
      }
    },
    get pending() {
      let n = 0;
      for (const s of allSlots) n += s.pending.size;
      return n;
    },
    close() {
      if (closed) return;
      closed = true;
      for (const slot of allSlots) {
        for (const p of slot.pending.values()) {
          clearTimeout(p.timer);
          p.resolve(FAILED);
        }
        slot.pending.clear();
        slot.socket?.close();
      }
      allSlots.length = 0;
      ready.clear();
    },
  };
}

function sameAddress(text: string, up: Upstream): boolean {
  return text === up.address || canonicalIp(text) === up.address;
}
