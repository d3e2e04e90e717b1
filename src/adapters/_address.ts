/**
 * Address spelling shared by the adapters: dual-stack sockets report IPv4 peers as
 * `::ffff:a.b.c.d`; the contract always speaks plain IPv4 for them.
 *
 * @module
 */

const MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** `::ffff:1.2.3.4` -> `1.2.3.4`; everything else unchanged (brackets removed). */
export function unmapAddress(address: string): string {
  // Hot path (every datagram): a plain IPv4 address needs no work.
  if (!address.includes(":") && !address.startsWith("[")) return address;
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const m = MAPPED.exec(bare);
  return m ? m[1]! : bare;
}

/** True for an IPv6 literal. */
export function isIpv6(address: string): boolean {
  return address.includes(":");
}

/** The address to hand a dual-stack IPv6 socket for an IPv4 destination. */
export function mapToIpv6(address: string): string {
  return isIpv6(address) ? address : `::ffff:${address}`;
}

/** `host:port` for messages, with IPv6 bracketed. */
export function hostPort(address: string, port: number): string {
  return isIpv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
}
