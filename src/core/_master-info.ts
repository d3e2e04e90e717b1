/**
 * Decoding the MasterInfo a Mesos master writes into ZooKeeper (SPEC 3.3): JSON in
 * `json.info_<n>` nodes (Mesos >= 0.24), protobuf in legacy `info_<n>` nodes.
 *
 * @module
 */

/** What the detector needs from a MasterInfo. */
export interface MasterInfo {
  readonly id: string;
  /** `ip:port` (IPv6 bracketed), `:port` when the address has no ip. */
  readonly address: string;
}

interface RawInfo {
  id?: string;
  ip?: number;
  port?: number;
  address?: { ip?: string; port?: number };
}

/** Parses a `json.info_*` payload; undefined when it is not a JSON object. */
export function masterInfoFromJson(data: Uint8Array): MasterInfo | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const raw: RawInfo = {};
  if (typeof v.id === "string") raw.id = v.id;
  if (typeof v.ip === "number") raw.ip = v.ip;
  if (typeof v.port === "number") raw.port = v.port;
  if (typeof v.address === "object" && v.address !== null) {
    const a = v.address as Record<string, unknown>;
    raw.address = {};
    if (typeof a.ip === "string") raw.address.ip = a.ip;
    if (typeof a.port === "number") raw.address.port = a.port;
  }
  return toInfo(raw);
}

/** Parses a legacy `info_*` payload (protobuf `mesos.MasterInfo`); undefined when malformed. */
export function masterInfoFromProtobuf(data: Uint8Array): MasterInfo | undefined {
  const fields = decodeMessage(data);
  if (!fields) return undefined;
  const raw: RawInfo = {};
  const id = fields.get(1);
  if (id instanceof Uint8Array) raw.id = new TextDecoder().decode(id);
  const ip = fields.get(2);
  if (typeof ip === "number") raw.ip = ip;
  const port = fields.get(3);
  if (typeof port === "number") raw.port = port;
  const address = fields.get(7);
  if (address instanceof Uint8Array) {
    const a = decodeMessage(address);
    if (!a) return undefined;
    raw.address = {};
    const aip = a.get(2);
    if (aip instanceof Uint8Array) raw.address.ip = new TextDecoder().decode(aip);
    const aport = a.get(3);
    if (typeof aport === "number") raw.address.port = aport | 0;
  }
  return toInfo(raw);
}

/** Formats `host:port`, bracketing IPv6 hosts (Go `net.JoinHostPort`). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

function toInfo(raw: RawInfo): MasterInfo {
  let address: string;
  if (raw.address) {
    address = joinHostPort(raw.address.ip ?? "", raw.address.port ?? 0);
  } else {
    // Legacy: the uint32 holds the address bytes as laid out in memory on the (little-endian)
    // master, so the first octet is the least significant byte (SPEC 3.3).
    const ip = (raw.ip ?? 0) >>> 0;
    const quad = [ip & 0xff, (ip >>> 8) & 0xff, (ip >>> 16) & 0xff, ip >>> 24].join(".");
    address = joinHostPort(quad, raw.port ?? 5050);
  }
  return { id: raw.id ?? "", address };
}

type FieldValue = number | Uint8Array;

/** A minimal protobuf reader: last value of each varint / length-delimited field. */
function decodeMessage(data: Uint8Array): Map<number, FieldValue> | undefined {
  const fields = new Map<number, FieldValue>();
  let pos = 0;
  const varint = (): number | undefined => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = data[pos++];
      if (byte === undefined) return undefined;
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return result;
    }
    return undefined;
  };
  while (pos < data.length) {
    const key = varint();
    if (key === undefined) return undefined;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      const v = varint();
      if (v === undefined) return undefined;
      // uint32/int32 fields: keep the low 32 bits, as a protobuf decoder does.
      fields.set(field, v % 2 ** 32);
    } else if (wire === 2) {
      const len = varint();
      if (len === undefined || pos + len > data.length) return undefined;
      fields.set(field, data.subarray(pos, pos + len));
      pos += len;
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else {
      return undefined;
    }
  }
  return pos === data.length ? fields : undefined;
}
