/**
 * Contract cases for UDP and TCP.
 *
 * @module
 */
import type { Platform, SocketAddress, TcpConnection, UdpSocket } from "../../src/core/platform.ts";
import {
  type ContractCase,
  concat,
  deferred,
  FIXTURE_ENV,
  fixtureEnv,
  pattern,
  within,
} from "./_case-kit.ts";

async function udpEcho(platform: Platform, address: string, assert: Parameters<ContractCase["run"]>[1]) {
  let seenByServer: SocketAddress | undefined;
  const server = await platform.bindUdp({
    address,
    port: 0,
    onMessage(data, from, socket) {
      seenByServer = from;
      socket.send(data, from);
    },
  });
  const reply = deferred<{ data: Uint8Array; from: SocketAddress }>();
  const client = await platform.bindUdp({
    address,
    port: 0,
    onMessage: (data, from) => reply.resolve({ data: data.slice(), from }),
  });
  try {
    assert.ok(server.local.port > 0, `server port allocated (got ${server.local.port})`);
    const sent = pattern(300, 7);
    client.send(sent, server.local);
    const got = await within(reply.promise, 3000, "echo reply");
    assert.bytes(got.data, sent, "echoed bytes");
    assert.equal(got.from.address, address, "reply source address");
    assert.equal(got.from.port, server.local.port, "reply source port");
    assert.equal(seenByServer?.port, client.local.port, "server saw the client port");
    assert.equal(seenByServer?.address, address, "server saw the client address");
  } finally {
    client.close();
    server.close();
  }
}

/** A port that was free a moment ago (listen on 0, then close). */
async function freePort(platform: Platform): Promise<number> {
  const probe = await platform.listenTcp({
    address: "127.0.0.1",
    port: 0,
    onConnection: () => ({ onData() {}, onClose() {} }),
  });
  await probe.close();
  return probe.local.port;
}

/**
 * A connection to a peer on 127.0.0.1 that accepts and never reads: its receive window shuts
 * once the kernel buffers are full. The peer is a `node:net` server with `pauseOnConnect`,
 * which Bun, Deno and Node all provide; the platform contract itself cannot stop reading.
 */
async function dialSilentPeer(platform: Platform) {
  const net = await import("node:net");
  const held = new Set<import("node:net").Socket>();
  const server = net.createServer({ pauseOnConnect: true }, (socket) => {
    held.add(socket.on("error", () => {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const stop = () => {
    for (const socket of held) socket.destroy();
    server.close();
  };
  const bound = server.address();
  const closed = deferred();
  let closes = 0;
  try {
    const conn = await platform.connectTcp({
      address: "127.0.0.1",
      port: typeof bound === "object" && bound !== null ? bound.port : 0,
      timeoutMs: 3000,
      handlers: {
        onData() {},
        onClose() {
          closes++;
          closed.resolve();
        },
      },
    });
    return { conn, closed: closed.promise, closes: () => closes, stop };
  } catch (error) {
    stop();
    throw error;
  }
}

const SILENT_PEER_GAP =
  "the memory network hands every write to the peer at once: there is no window a peer could leave shut";

export const socketCases: ContractCase[] = [
  {
    name: "bindUdp() on 127.0.0.1 port 0 allocates a port and a datagram round-trips",
    run: (platform, assert) => udpEcho(platform, "127.0.0.1", assert),
  },
  {
    name: "bindUdp() on ::1 port 0 allocates a port and a datagram round-trips",
    run: (platform, assert) => udpEcho(platform, "::1", assert),
  },
  {
    name: "bindUdp() on :: answers an IPv4 client, seen and addressed as plain IPv4",
    async run(platform, assert) {
      let seen: SocketAddress | undefined;
      const server = await platform.bindUdp({
        address: "::",
        port: 0,
        onMessage(data, from, socket) {
          seen = from;
          socket.send(data, from);
        },
      });
      const reply = deferred<SocketAddress>();
      const client = await platform.bindUdp({
        address: "127.0.0.1",
        port: 0,
        onMessage: (_, from) => reply.resolve(from),
      });
      try {
        client.send(pattern(40, 4), { address: "127.0.0.1", port: server.local.port });
        const from = await within(reply.promise, 3000, "reply from the dual-stack socket");
        assert.equal(seen?.address, "127.0.0.1", "client address as the server saw it");
        assert.equal(from.address, "127.0.0.1", "reply source address");
        assert.equal(from.port, server.local.port, "reply source port");
      } finally {
        client.close();
        server.close();
      }
    },
  },
  {
    name: "bindUdp() keeps the boundaries of two datagrams",
    async run(platform, assert) {
      const received: Uint8Array[] = [];
      const two = deferred();
      const server = await platform.bindUdp({
        address: "127.0.0.1",
        port: 0,
        onMessage(data) {
          received.push(data.slice());
          if (received.length === 2) two.resolve();
        },
      });
      const client = await platform.bindUdp({ address: "127.0.0.1", port: 0, onMessage() {} });
      try {
        client.send(pattern(12, 1), server.local);
        client.send(pattern(5, 2), server.local);
        await within(two.promise, 3000, "two datagrams");
        // UDP does not promise order (Deno's node:dgram may deliver these two swapped).
        received.sort((a, b) => b.byteLength - a.byteLength);
        assert.bytes(received[0]!, pattern(12, 1), "the 12-byte datagram");
        assert.bytes(received[1]!, pattern(5, 2), "the 5-byte datagram");
      } finally {
        client.close();
        server.close();
      }
    },
  },
  {
    name: "bindUdp() on a port already bound rejects with ADDRESS_IN_USE",
    async run(platform, assert) {
      const first = await platform.bindUdp({ address: "127.0.0.1", port: 0, onMessage() {} });
      let second: UdpSocket | undefined;
      try {
        const attempt = platform.bindUdp({ address: "127.0.0.1", port: first.local.port, onMessage() {} });
        attempt.then(
          (s) => (second = s),
          () => {},
        );
        await assert.rejects(attempt, "ADDRESS_IN_USE", "second bind");
      } finally {
        second?.close();
        first.close();
      }
    },
  },
  {
    name: "listenTcp() on a port already listened on rejects with ADDRESS_IN_USE",
    async run(platform, assert) {
      const handlers = () => ({ onData() {}, onClose() {} });
      const first = await platform.listenTcp({ address: "127.0.0.1", port: 0, onConnection: handlers });
      try {
        const attempt = platform.listenTcp({
          address: "127.0.0.1",
          port: first.local.port,
          onConnection: handlers,
        });
        attempt.then(
          (s) => s.close(),
          () => {},
        );
        await assert.rejects(attempt, "ADDRESS_IN_USE", "second listen");
      } finally {
        await first.close();
      }
    },
  },
  {
    name: "listenTcp() and connectTcp() carry chunked data both ways and both sides see the close",
    async run(platform, assert) {
      const request = pattern(256 * 1024 + 64 * 1024, 3);
      // Large enough to overrun the loopback socket buffer, so writes meet backpressure.
      const response = pattern(8 * 1024 * 1024, 9);
      const serverGot: Uint8Array[] = [];
      let serverSize = 0;
      const serverClosed = deferred();
      let accepted: TcpConnection | undefined;
      const server = await platform.listenTcp({
        address: "127.0.0.1",
        port: 0,
        onConnection(conn) {
          accepted = conn;
          return {
            onData(chunk) {
              serverGot.push(chunk.slice());
              serverSize += chunk.byteLength;
              if (serverSize === request.byteLength) {
                conn.write(response.subarray(0, 10));
                conn.write(response.subarray(10));
              }
            },
            onClose: () => serverClosed.resolve(),
          };
        },
      });
      const clientGot: Uint8Array[] = [];
      let clientSize = 0;
      const replied = deferred();
      const clientClosed = deferred();
      try {
        const client = await platform.connectTcp({
          address: "127.0.0.1",
          port: server.local.port,
          timeoutMs: 3000,
          handlers: {
            onData(chunk) {
              clientGot.push(chunk.slice());
              clientSize += chunk.byteLength;
              if (clientSize >= response.byteLength) replied.resolve();
            },
            onClose: () => clientClosed.resolve(),
          },
        });
        assert.equal(client.remote.port, server.local.port, "client's remote port");
        for (let i = 0; i < 64; i++) client.write(request.subarray(i * 1024, (i + 1) * 1024));
        client.write(request.subarray(64 * 1024));
        await within(replied.promise, 10_000, "the whole response");
        assert.bytes(concat(serverGot), request, "bytes the server received");
        assert.bytes(concat(clientGot), response, "bytes the client received");
        assert.equal(accepted?.remote.address, "127.0.0.1", "server's view of the client address");
        client.close();
        await within(Promise.all([serverClosed.promise, clientClosed.promise]), 3000, "close on both sides");
      } finally {
        await server.close();
      }
    },
  },
  {
    name: "close() right after a large write() delivers every byte before the peer sees the close",
    async run(platform, assert) {
      const payload = pattern(8 * 1024 * 1024, 11);
      const server = await platform.listenTcp({
        address: "127.0.0.1",
        port: 0,
        onConnection(conn) {
          conn.write(payload);
          conn.close();
          return { onData() {}, onClose() {} };
        },
      });
      const got: Uint8Array[] = [];
      const closed = deferred();
      try {
        await platform.connectTcp({
          address: "127.0.0.1",
          port: server.local.port,
          timeoutMs: 3000,
          handlers: { onData: (chunk) => got.push(chunk.slice()), onClose: () => closed.resolve() },
        });
        await within(closed.promise, 10_000, "the close");
        assert.bytes(concat(got), payload, "bytes received before the close");
      } finally {
        await server.close();
      }
    },
  },
  {
    name: "close() after 8 MB written to a peer that never reads ends the connection within 2 s, onClose once",
    skip: { memory: SILENT_PEER_GAP },
    async run(platform, assert) {
      const peer = await dialSilentPeer(platform);
      try {
        peer.conn.write(pattern(8 * 1024 * 1024, 5));
        const started = Date.now();
        peer.conn.close();
        await within(peer.closed, 2500, "onClose after close() with unread bytes");
        const elapsed = Date.now() - started;
        assert.ok(elapsed < 2000, `connection gone within 2 s (took ${elapsed} ms)`);
        peer.conn.close();
        peer.conn.write(pattern(10, 1));
        await new Promise((done) => setTimeout(done, 50));
        assert.equal(peer.closes(), 1, "onClose runs once");
      } finally {
        peer.stop();
      }
    },
  },
  {
    name: "write() after more than 1 MB waits unsent to a peer that never reads destroys the connection",
    skip: { memory: SILENT_PEER_GAP },
    async run(platform, assert) {
      const peer = await dialSilentPeer(platform);
      try {
        // Up to 64 MB in 64 KB writes, never closing: whatever the kernel buffers hold, the
        // bytes left waiting pass 1 MB and the connection must be dropped.
        const chunk = pattern(64 * 1024, 6);
        for (let i = 0; i < 1024 && peer.closes() === 0; i++) {
          peer.conn.write(chunk);
          if (i % 16 === 15) await new Promise((done) => setTimeout(done, 1));
        }
        await within(peer.closed, 2000, "onClose once the queue passed its cap");
        assert.equal(peer.closes(), 1, "onClose runs once");
      } finally {
        peer.stop();
      }
    },
  },
  {
    name: "connectTcp() to a port nobody listens on rejects with CONNECTION_REFUSED",
    async run(platform, assert) {
      const port = await freePort(platform);
      const attempt = platform.connectTcp({
        address: "127.0.0.1",
        port,
        timeoutMs: 3000,
        handlers: { onData() {}, onClose() {} },
      });
      attempt.then(
        (c) => c.close(),
        () => {},
      );
      await assert.rejects(attempt, "CONNECTION_REFUSED", "connect to a closed port");
    },
  },
  {
    name: "connectTcp() rejects with TIMED_OUT when the handshake outlasts timeoutMs",
    needs: ["blackhole"],
    skip: { memory: "the virtual network connects or refuses at once; there is no handshake to outlast" },
    async run(platform, assert) {
      // A listener whose accept queue is full: the kernel drops our SYN.
      const port = Number(fixtureEnv(platform, FIXTURE_ENV.blackholePort));
      const started = Date.now();
      const attempt = platform.connectTcp({
        address: "127.0.0.1",
        port,
        timeoutMs: 300,
        handlers: { onData() {}, onClose() {} },
      });
      attempt.then(
        (c) => c.close(),
        () => {},
      );
      await assert.rejects(attempt, "TIMED_OUT", "connect to a blackhole");
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 250 && elapsed < 2500, `timeout honoured (took ${elapsed} ms for 300 ms)`);
    },
  },
];
