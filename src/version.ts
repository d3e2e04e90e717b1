/**
 * The version string. Release builds replace `MESOS_DNS_VERSION` at compile time
 * (`bun build --define`); running from source reports the package version with `-dev`.
 *
 * @module
 */
declare const MESOS_DNS_VERSION: string | undefined;

export const VERSION: string = typeof MESOS_DNS_VERSION === "string" ? MESOS_DNS_VERSION : "0.1.0-dev";
