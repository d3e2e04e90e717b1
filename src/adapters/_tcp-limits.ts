/**
 * Limits every TCP adapter applies the same way (see `TcpConnection` in the platform contract).
 *
 * @module
 */

/** Bytes a connection may hold unsent; a write beyond them drops the connection. */
export const MAX_QUEUED_BYTES = 1024 * 1024;
/** How long `close()` waits for unsent bytes to leave before the socket is torn down. */
export const CLOSE_DEADLINE_MS = 1000;
