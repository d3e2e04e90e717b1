/**
 * The version string. Release builds replace `MESOS_DNS_VERSION` at compile time
 * (`bun build --define`, with git's description); otherwise it is package.json's version
 * with `-dev`, read through a JSON import that Bun and Deno resolve at load time and every
 * bundle inlines at build time.
 *
 * @module
 */
import pkg from "../package.json" with { type: "json" };

declare const MESOS_DNS_VERSION: string | undefined;

export const VERSION: string =
  typeof MESOS_DNS_VERSION === "string" ? MESOS_DNS_VERSION : `${pkg.version}-dev`;
