/**
 * A small DNS wire reader that writes names and RDATA the way shared/tools/dns-diff.py does
 * (its presentation rules, escapes included), for tests/_conformance.ts.
 */
import { formatIpv6 } from "../src/core/net/ip.ts";

function labelText(raw: Uint8Array): string {
  let out = "";
  for (const b of raw) {
    const c = String.fromCharCode(b);
    if ('.\\"();@$ '.includes(c)) out += `\\${c}`;
    else if (b >= 0x21 && b <= 0x7e) out += c;
    else out += `\\${String(b).padStart(3, "0")}`;
  }
  return out;
}

/** A name with a trailing dot, and the offset after it. */
function readName(msg: Uint8Array, start: number): [string, number] {
  const labels: string[] = [];
  let off = start;
  let end: number | undefined;
  for (let jumps = 0; ; ) {
    if (off >= msg.length) throw new Error("name runs past the message");
    const n = msg[off]!;
    if ((n & 0xc0) === 0xc0) {
      end ??= off + 2;
      off = ((n & 0x3f) << 8) | msg[off + 1]!;
      if (++jumps > 64) throw new Error("compression loop");
      continue;
    }
    off++;
    if (n === 0) break;
    labels.push(labelText(msg.subarray(off, off + n)));
    off += n;
  }
  return [labels.length ? `${labels.join(".")}.` : ".", end ?? off];
}

function charStrings(rdata: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < rdata.length; ) {
    const n = rdata[i]!;
    let s = "";
    for (const b of rdata.subarray(i + 1, i + 1 + n)) {
      const c = String.fromCharCode(b);
      s +=
        c === '"' || c === "\\" ? `\\${c}` : b >= 0x20 && b <= 0x7e ? c : `\\${String(b).padStart(3, "0")}`;
    }
    parts.push(`"${s}"`);
    i += 1 + n;
  }
  return parts.join(" ");
}

function rdataText(msg: Uint8Array, off: number, len: number, type: number): string {
  const rd = msg.subarray(off, off + len);
  const u16 = (o: number) => (msg[o]! << 8) | msg[o + 1]!;
  try {
    if (type === 1 && len === 4) return rd.join(".");
    if (type === 28 && len === 16) return formatIpv6(rd);
    if (type === 2 || type === 5 || type === 12) return readName(msg, off)[0];
    if (type === 6) {
      const [mname, o1] = readName(msg, off);
      const [rname, o2] = readName(msg, o1);
      const nums = [0, 1, 2, 3, 4].map((i) =>
        new DataView(msg.buffer, msg.byteOffset + o2 + i * 4, 4).getUint32(0),
      );
      return [mname, rname, ...nums].join(" ");
    }
    if (type === 15) return `${u16(off)} ${readName(msg, off + 2)[0]}`;
    if (type === 33) return `${u16(off)} ${u16(off + 2)} ${u16(off + 4)} ${readName(msg, off + 6)[0]}`;
    if (type === 16) return charStrings(rd);
  } catch {
    // falls through to the generic form, as dns-diff.py does
  }
  return `\\# ${len} ${Array.from(rd, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** One record, its RDATA already in presentation form. */
export interface Rr {
  owner: string;
  type: number;
  cls: number;
  ttl: number;
  rdata: string;
}

/** The header flags and the three record sections of a message. */
export function parseSections(msg: Uint8Array) {
  const u16 = (o: number) => (msg[o]! << 8) | msg[o + 1]!;
  const [qd, an, ns, ar] = [u16(4), u16(6), u16(8), u16(10)];
  let off = 12;
  for (let i = 0; i < qd; i++) off = readName(msg, off)[1] + 4;
  const sections: Rr[][] = [];
  for (const count of [an, ns, ar]) {
    const rrs: Rr[] = [];
    for (let i = 0; i < count; i++) {
      const [owner, o] = readName(msg, off);
      const view = new DataView(msg.buffer, msg.byteOffset + o, 10);
      const [type, cls, ttl, len] = [
        view.getUint16(0),
        view.getUint16(2),
        view.getUint32(4),
        view.getUint16(8),
      ];
      if (o + 10 + len > msg.length) throw new Error("rdata runs past the message");
      rrs.push({ owner, type, cls, ttl, rdata: rdataText(msg, o + 10, len, type) });
      off = o + 10 + len;
    }
    sections.push(rrs);
  }
  return { flags: u16(2), answer: sections[0]!, authority: sections[1]!, additional: sections[2]! };
}

/** `m` with an OPT record (UDP size 1232, DO as given) carrying `options` appended to its additional section. */
export function withOpt(
  m: Uint8Array,
  options: { code: number; data: number[] }[],
  dnssecOk = false,
): Uint8Array {
  const rdata = options.flatMap((o) => [
    o.code >> 8,
    o.code & 0xff,
    o.data.length >> 8,
    o.data.length & 0xff,
    ...o.data,
  ]);
  const flags = dnssecOk ? 0x80 : 0;
  const opt = [0, 0, 41, 0x04, 0xd0, 0, 0, flags, 0, rdata.length >> 8, rdata.length & 0xff, ...rdata];
  const out = new Uint8Array(m.length + opt.length);
  out.set(m);
  out.set(opt, m.length);
  out[11] = out[11]! + 1;
  return out;
}
