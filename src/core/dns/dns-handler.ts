/**
 * Request intake and routing for one DNS message (docs/spec.md §6.2, 6.3): bad input gets a DNS
 * answer or is dropped, never a crash; names inside the domain go to the domain answerer,
 * everything else to the forwarder.
 *
 * @module
 */

import type { ParsedQuery } from "./codec.ts";
import { errorReply, FLAG, parseQuery, QTYPE, RCODE, udpLimit } from "./codec.ts";

export type Transport = "udp" | "tcp";

/** Observations the handler reports (the app wires them to metrics and logs). */
export interface DnsObserver {
  query?(zone: "mesos" | "forwarded", qtype: number, rcode: number): void;
  /** A packet not handled as a query: `short` or `response` (no reply), `malformed` (bare FORMERR). */
  dropped?(reason: string): void;
  internalError?(error: unknown): void;
}

/**
 * What the handler routes to. The DNS layer knows neither records nor forwarding: these are
 * the shapes it needs, and the app passes the real snapshot store, answerer and forwarder.
 */
export interface DnsHandlerDeps<S> {
  /** Only the domain served is read. */
  readonly config: { readonly Domain: string };
  /** The current view of the domain; undefined before the first load (SERVFAIL). */
  readonly store: { current(): S | undefined };
  /** Answers a name inside the domain from the current view. */
  readonly answerer: {
    answer(query: Uint8Array, parsed: ParsedQuery, snapshot: S, limit: number): Uint8Array;
  };
  /** Answers every other name: at once from a cache, or later through a promise. */
  readonly forwarder: {
    forward(query: Uint8Array, parsed: ParsedQuery, transport: Transport): Uint8Array | Promise<Uint8Array>;
  };
  readonly observer?: DnsObserver;
}

/** Returns the reply (sync for local answers, a promise when forwarded) or undefined to send nothing. */
export type DnsHandler = (
  message: Uint8Array,
  transport: Transport,
) => Uint8Array | Promise<Uint8Array> | undefined;

export function createDnsHandler<S>(deps: DnsHandlerDeps<S>): DnsHandler {
  const { config, store, answerer, forwarder, observer } = deps;
  const domain = config.Domain;
  const suffix = `.${domain}`;

  function inDomain(lowerName: string): boolean {
    return lowerName === domain || lowerName.endsWith(suffix);
  }

  function local(message: Uint8Array, parsed: ParsedQuery, transport: Transport): Uint8Array {
    const snapshot = store.current();
    if (!snapshot) return reply(message, parsed, RCODE.SERVFAIL, "mesos");
    const limit = transport === "tcp" ? 65535 : udpLimit(parsed.edns);
    const out = answerer.answer(message, parsed, snapshot, limit);
    observer?.query?.("mesos", parsed.qtype, out[3]! & 0xf);
    return out;
  }

  function reply(
    message: Uint8Array,
    parsed: ParsedQuery | undefined,
    rcode: number,
    zone: "mesos" | "forwarded",
  ) {
    // A packet that is not a usable query (FORMERR with a bare header) has no zone or type.
    if (parsed) observer?.query?.(zone, parsed.qtype, rcode);
    else observer?.dropped?.("malformed");
    return errorReply(message, parsed, rcode);
  }

  /** Cache hits come back at once; everything else through one promise. */
  function forward(
    message: Uint8Array,
    parsed: ParsedQuery,
    transport: Transport,
  ): Uint8Array | Promise<Uint8Array> {
    const out = forwarder.forward(message, parsed, transport);
    if (out instanceof Uint8Array) {
      observer?.query?.("forwarded", parsed.qtype, out[3]! & 0xf);
      return out;
    }
    // The runtime may reuse `message` once we wait; the error path needs its header and question.
    const head = new Uint8Array(message.subarray(0, parsed.questionEnd));
    return out.then(
      (reply) => {
        observer?.query?.("forwarded", parsed.qtype, reply[3]! & 0xf);
        return reply;
      },
      (error: unknown) => {
        observer?.internalError?.(error);
        return reply(head, parsed, RCODE.SERVFAIL, "forwarded");
      },
    );
  }

  return (message, transport) => {
    let parsed: ParsedQuery | undefined;
    try {
      const result = parseQuery(message);
      if (result === "short" || result === "response") {
        observer?.dropped?.(result);
        return undefined;
      }
      if (typeof result === "string") return reply(message, undefined, RCODE.FORMERR, "mesos");
      parsed = result;
      // A query with TC set is answered FORMERR, as upstream (docs/spec.md §10 #43).
      if (parsed.flags & FLAG.TC || parsed.qdcount !== 1)
        return reply(message, undefined, RCODE.FORMERR, "mesos");
      const zone = inDomain(parsed.lowerName) ? "mesos" : "forwarded";
      // Only QUERY is implemented (docs/spec.md §10 #12); upstream treated every opcode as QUERY.
      if (parsed.opcode !== 0) return reply(message, parsed, RCODE.NOTIMP, zone);
      if (zone === "forwarded") return forward(message, parsed, transport);
      if (parsed.qclass !== 1 && parsed.qclass !== 255) return reply(message, parsed, RCODE.REFUSED, zone);
      if (parsed.qtype === QTYPE.AXFR || parsed.qtype === 251 /* IXFR */) {
        return reply(message, parsed, RCODE.REFUSED, zone);
      }
      return local(message, parsed, transport);
    } catch (error) {
      // A bug while handling one query must not take the server down: SERVFAIL, counted, logged.
      observer?.internalError?.(error);
      return errorReply(message, parsed, RCODE.SERVFAIL);
    }
  };
}
