import { describe, expect, test } from "bun:test";
import { decodeMessage, encodeMessage, errorReply, QTYPE, RCODE } from "../../../src/core/dns/codec.ts";
import { createDnsHandler, type DnsHandlerDeps, type Transport } from "../../../src/core/dns/dns-handler.ts";
import { queryBytes } from "../../_dns-client.ts";

/** What the handler was given and what it reported, with fakes for everything it routes to. */
function setup(
  options: { loaded?: boolean; forward?: DnsHandlerDeps<unknown>["forwarder"]["forward"] } = {},
) {
  const snapshot = { serial: 7 };
  const seen = {
    answered: [] as { name: string; limit: number; snapshot: unknown }[],
    forwarded: [] as { name: string; transport: Transport }[],
    queries: [] as string[],
    dropped: [] as string[],
    errors: [] as unknown[],
  };
  let loaded = options.loaded !== false;
  const handler = createDnsHandler({
    config: { Domain: "mesos" },
    store: { current: () => (loaded ? snapshot : undefined) },
    answerer: {
      answer(query, parsed, current, limit) {
        seen.answered.push({ name: parsed.name, limit, snapshot: current });
        return errorReply(query, parsed, RCODE.NOERROR);
      },
    },
    forwarder: {
      forward:
        options.forward ??
        ((query, parsed, transport) => {
          seen.forwarded.push({ name: parsed.name, transport });
          return Promise.resolve(errorReply(query, parsed, RCODE.NXDOMAIN));
        }),
    },
    observer: {
      query: (zone, qtype, rcode) => seen.queries.push(`${zone} ${qtype} ${rcode}`),
      dropped: (reason) => seen.dropped.push(reason),
      internalError: (error) => seen.errors.push(error),
    },
  });
  return { handler, seen, load: () => (loaded = true) };
}

const rcodeOf = (reply: Uint8Array | undefined) => (reply ? reply[3]! & 0xf : -1);

function withOpcode(query: Uint8Array, opcode: number): Uint8Array {
  const out = query.slice();
  out[2] = (out[2]! & 0x87) | (opcode << 3);
  return out;
}

describe("createDnsHandler() routing", () => {
  test("sends the domain and names below it to the resolver, in any letter case", async () => {
    const { handler, seen } = setup();
    for (const name of ["mesos", "web.marathon.mesos", "WEB.Marathon.MESOS"]) {
      expect(rcodeOf(await handler(queryBytes(name, "A"), "udp"))).toBe(RCODE.NOERROR);
    }
    expect(seen.answered.map((a) => a.name)).toEqual(["mesos", "web.marathon.mesos", "WEB.Marathon.MESOS"]);
    expect(seen.answered.every((a) => (a.snapshot as { serial: number }).serial === 7)).toBe(true);
    expect(seen.forwarded).toEqual([]);
    expect(seen.queries).toEqual(["mesos 1 0", "mesos 1 0", "mesos 1 0"]);
  });

  test("forwards every other name, with its transport, and reports the forwarded rcode", async () => {
    const { handler, seen } = setup();
    expect(rcodeOf(await handler(queryBytes("example.org", "A"), "udp"))).toBe(RCODE.NXDOMAIN);
    await handler(queryBytes("notmesos", "AAAA"), "tcp");
    await handler(queryBytes("mesos.example.org", "SRV"), "udp");
    expect(seen.forwarded).toEqual([
      { name: "example.org", transport: "udp" },
      { name: "notmesos", transport: "tcp" },
      { name: "mesos.example.org", transport: "udp" },
    ]);
    expect(seen.answered).toEqual([]);
    expect(seen.queries).toEqual(["forwarded 1 3", "forwarded 28 3", "forwarded 33 3"]);
  });

  test("returns a reply the forwarder has at once (a cache hit) without a promise", () => {
    const { handler, seen } = setup({ forward: (query, parsed) => errorReply(query, parsed, RCODE.NOERROR) });
    const out = handler(queryBytes("example.org", "A"), "udp");
    expect(out).toBeInstanceOf(Uint8Array);
    expect(rcodeOf(out as Uint8Array)).toBe(RCODE.NOERROR);
    expect(seen.queries).toEqual(["forwarded 1 0"]);
  });

  test("gives the resolver the UDP size limit of the client, and 65535 over TCP", async () => {
    const { handler, seen } = setup();
    await handler(queryBytes("a.mesos", "A"), "udp");
    await handler(queryBytes("a.mesos", "A", { edns: 1232 }), "udp");
    await handler(queryBytes("a.mesos", "A", { edns: 9000 }), "udp");
    await handler(queryBytes("a.mesos", "A", { edns: 1232 }), "tcp");
    expect(seen.answered.map((a) => a.limit)).toEqual([512, 1232, 4096, 65535]);
  });
});

describe("createDnsHandler() bad input", () => {
  test("sends nothing for a packet shorter than a header or a response, and reports why", async () => {
    const { handler, seen } = setup();
    const response = queryBytes("a.mesos", "A");
    response[2]! |= 0x80;
    expect(await handler(Uint8Array.of(1, 2, 3), "udp")).toBeUndefined();
    expect(await handler(response, "udp")).toBeUndefined();
    expect(seen.dropped).toEqual(["short", "response"]);
    expect(seen.answered.length + seen.forwarded.length).toBe(0);
  });

  test("answers FORMERR with a bare header for no question, several questions or TC set", async () => {
    const { handler, seen } = setup();
    const none = encodeMessage({ type: "query", id: 0x0102, questions: [] });
    const two = encodeMessage({
      type: "query",
      id: 0x0102,
      questions: [
        { type: "A", name: "a.mesos" },
        { type: "A", name: "b.example.org" },
      ],
    });
    const tc = queryBytes("a.mesos", "A", { id: 0x0102 });
    tc[2]! |= 0x02;
    for (const query of [none, two, tc]) {
      const out = (await handler(query, "udp"))!;
      expect([...out]).toEqual([0x01, 0x02, 0x80, RCODE.FORMERR, 0, 0, 0, 0, 0, 0, 0, 0]);
    }
    expect(seen.dropped).toEqual(["malformed", "malformed", "malformed"]);
    expect(seen.answered.length + seen.forwarded.length).toBe(0);
  });

  test("answers NOTIMP for an opcode other than QUERY, inside the domain or not, keeping the question", async () => {
    const { handler, seen } = setup();
    const inside = (await handler(withOpcode(queryBytes("a.mesos", "SOA"), 4), "udp"))!;
    const outside = (await handler(withOpcode(queryBytes("example.org", "A"), 2), "udp"))!;
    const opcodeOf = (reply: Uint8Array) => (reply[2]! >> 3) & 0xf;
    expect([rcodeOf(inside), opcodeOf(inside), decodeMessage(inside)?.questions[0]?.name]).toEqual([
      RCODE.NOTIMP,
      4,
      "a.mesos",
    ]);
    expect([rcodeOf(outside), opcodeOf(outside)]).toEqual([RCODE.NOTIMP, 2]);
    expect(seen.forwarded).toEqual([]);
    expect(seen.queries).toEqual([`mesos ${QTYPE.SOA} 4`, "forwarded 1 4"]);
  });

  test("answers REFUSED inside the domain for a class other than IN or ANY, and for AXFR and IXFR", async () => {
    const { handler, seen } = setup();
    const chaos = encodeMessage({
      type: "query",
      id: 1,
      questions: [{ type: "TXT", name: "version.mesos", class: "CH" }],
    });
    expect(rcodeOf(await handler(chaos, "udp"))).toBe(RCODE.REFUSED);
    expect(rcodeOf(await handler(queryBytes("mesos", "AXFR"), "tcp"))).toBe(RCODE.REFUSED);
    expect(rcodeOf(await handler(queryBytes("mesos", "IXFR"), "tcp"))).toBe(RCODE.REFUSED);
    const any = encodeMessage({
      type: "query",
      id: 2,
      questions: [{ type: "A", name: "a.mesos", class: "ANY" }],
    });
    expect(rcodeOf(await handler(any, "udp"))).toBe(RCODE.NOERROR);
    expect(seen.answered.map((a) => a.name)).toEqual(["a.mesos"]);
    // Outside the domain these are the forwarder's to decide.
    await handler(queryBytes("example.org", "AXFR"), "tcp");
    expect(seen.forwarded).toEqual([{ name: "example.org", transport: "tcp" }]);
  });
});

describe("createDnsHandler() failures", () => {
  test("answers SERVFAIL inside the domain until the first snapshot, then asks the resolver", async () => {
    const { handler, seen, load } = setup({ loaded: false });
    const out = decodeMessage((await handler(queryBytes("a.mesos", "A"), "udp"))!);
    expect([out?.rcode, out?.questions[0]?.name]).toEqual(["SERVFAIL", "a.mesos"]);
    expect(seen.answered).toEqual([]);
    load();
    expect(rcodeOf(await handler(queryBytes("a.mesos", "A"), "udp"))).toBe(RCODE.NOERROR);
    expect(seen.queries).toEqual(["mesos 1 2", "mesos 1 0"]);
  });

  test("turns an exception of the resolver into SERVFAIL and reports the error", async () => {
    const boom = new Error("resolver bug");
    const errors: unknown[] = [];
    const failing = createDnsHandler({
      config: { Domain: "mesos" },
      store: { current: () => ({}) },
      answerer: {
        answer: () => {
          throw boom;
        },
      },
      forwarder: { forward: () => Promise.reject(new Error("unused")) },
      observer: { internalError: (error) => errors.push(error) },
    });
    const out = decodeMessage((await failing(queryBytes("a.mesos", "A", { id: 9 }), "udp"))!);
    expect([out?.id, out?.rcode, out?.questions[0]?.name]).toEqual([9, "SERVFAIL", "a.mesos"]);
    expect(errors).toEqual([boom]);
  });

  test("turns a forwarder that throws or rejects into SERVFAIL for the question, and reports the error", async () => {
    const thrown = new Error("thrown");
    const rejected = new Error("rejected");
    let mode: "throw" | "reject" = "throw";
    const { handler, seen } = setup({
      forward: () => {
        if (mode === "throw") throw thrown;
        return Promise.reject(rejected);
      },
    });
    expect(rcodeOf(await handler(queryBytes("example.org", "A"), "udp"))).toBe(RCODE.SERVFAIL);
    mode = "reject";
    // The server may reuse its receive buffer while the reply is owed: the question is kept.
    const buffer = queryBytes("example.org", "A", { id: 5 });
    const pending = handler(buffer, "udp");
    buffer.fill(0xff);
    const out = decodeMessage((await pending)!);
    expect([out?.id, out?.rcode, out?.questions[0]?.name]).toEqual([5, "SERVFAIL", "example.org"]);
    expect(seen.errors).toEqual([thrown, rejected]);
    expect(seen.queries).toEqual(["forwarded 1 2"]);
  });
});
