/**
 * Contract cases for serveHttp and httpRequest (plain HTTP served by the platform itself,
 * HTTPS by the runner's fixture server).
 *
 * @module
 */
import type { HttpRequestOptions, Platform, SocketAddress } from "../../src/core/platform.ts";
import { type ContractCase, deferred, FIXTURE_ENV, fixtureEnv, pattern } from "./_case-kit.ts";

const GET: HttpRequestOptions = {
  method: "GET",
  headers: {},
  timeoutMs: 5000,
  maxBytes: 1 << 20,
  maxRedirects: 10,
};
const BIG = 64 * 1024;
const GZIPPED_TEXT = "compressed hello ".repeat(200);

async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Serves the routes the httpRequest cases use; `slow` hangs until the fixture closes. */
async function withServer(platform: Platform, run: (base: string) => Promise<void>): Promise<void> {
  const gate = deferred();
  const gzipped = await gzip(GZIPPED_TEXT);
  const server = await platform.serveHttp({
    address: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const path = url.pathname;
      if (path === "/hello") return new Response("hello", { headers: { "x-contract": "yes" } });
      if (path === "/method") return new Response(`${request.method} ${await request.text()}`);
      if (path === "/see-other") return new Response(null, { status: 303, headers: { location: "/method" } });
      if (path.startsWith("/chain/")) {
        const n = Number(path.slice(7));
        if (n === 0) return new Response("end of chain");
        return new Response("moved", { status: 302, headers: { location: `/chain/${n - 1}` } });
      }
      if (path === "/slow") {
        await gate.promise;
        return new Response("late");
      }
      if (path === "/to-file") {
        return new Response(null, { status: 302, headers: { location: "file:///etc/hostname" } });
      }
      if (path === "/to-data") {
        return new Response(null, { status: 307, headers: { location: "data:text/plain,leaked" } });
      }
      if (path === "/big") return new Response(pattern(BIG, 5));
      if (path === "/gzip") {
        return new Response(gzipped, {
          headers: { "content-encoding": "gzip", "content-type": "text/plain" },
        });
      }
      return new Response("not found", { status: 404 });
    },
  });
  try {
    await run(`http://127.0.0.1:${server.local.port}`);
  } finally {
    gate.resolve();
    await server.close();
  }
}

const text = (body: Uint8Array): string => new TextDecoder().decode(body);

async function tlsFixture(platform: Platform, file: string): Promise<{ url: string; ca: string }> {
  const url = fixtureEnv(platform, FIXTURE_ENV.httpsUrl);
  const ca = await platform.readTextFile(fixtureEnv(platform, file));
  return { url, ca };
}

export const httpCases: ContractCase[] = [
  {
    name: "serveHttp() answers GET and POST with the body and the remote address",
    skip: {
      memory: "global fetch cannot reach the virtual network (the httpRequest cases serve through it)",
    },
    async run(platform, assert) {
      let remote: SocketAddress | undefined;
      const server = await platform.serveHttp({
        address: "127.0.0.1",
        port: 0,
        async fetch(request, from) {
          remote = from;
          return new Response(`${request.method} ${new URL(request.url).pathname} ${await request.text()}`);
        },
      });
      try {
        const base = `http://127.0.0.1:${server.local.port}`;
        const get = await fetch(`${base}/a`);
        assert.equal(await get.text(), "GET /a ", "GET response");
        const post = await fetch(`${base}/b`, { method: "POST", body: "payload" });
        assert.equal(post.status, 200, "POST status");
        assert.equal(await post.text(), "POST /b payload", "POST response");
        assert.equal(remote?.address, "127.0.0.1", "remote address");
        assert.ok((remote?.port ?? 0) > 0, `remote port (got ${remote?.port})`);
      } finally {
        await server.close();
      }
    },
  },
  {
    name: "httpRequest() returns status, headers and body",
    run: (platform, assert) =>
      withServer(platform, async (base) => {
        const res = await platform.httpRequest(`${base}/hello`, GET);
        assert.equal(res.status, 200, "status");
        assert.equal(res.headers.get("x-contract"), "yes", "header");
        assert.equal(text(res.body), "hello", "body");
        assert.equal(res.url, `${base}/hello`, "url");
        const missing = await platform.httpRequest(`${base}/nope`, GET);
        assert.equal(missing.status, 404, "a 404 is a response, not an error");
      }),
  },
  {
    name: "httpRequest() follows redirects and reports the final URL",
    run: (platform, assert) =>
      withServer(platform, async (base) => {
        const res = await platform.httpRequest(`${base}/chain/3`, GET);
        assert.equal(res.status, 200, "status");
        assert.equal(text(res.body), "end of chain", "body");
        assert.equal(res.url, `${base}/chain/0`, "final url");
      }),
  },
  {
    name: "httpRequest() returns the 3xx once maxRedirects redirects were followed",
    run: (platform, assert) =>
      withServer(platform, async (base) => {
        const none = await platform.httpRequest(`${base}/chain/1`, { ...GET, maxRedirects: 0 });
        assert.equal(none.status, 302, "maxRedirects 0 status");
        assert.equal(none.headers.get("location"), "/chain/0", "location header");
        assert.equal(none.url, `${base}/chain/1`, "url of the 3xx");
        const two = await platform.httpRequest(`${base}/chain/3`, { ...GET, maxRedirects: 2 });
        assert.equal(two.status, 302, "maxRedirects 2 status");
        assert.equal(two.url, `${base}/chain/1`, "url after two redirects");
      }),
  },
  {
    name: "httpRequest() rejects a redirect to a scheme other than http and https, naming the location",
    run: (platform, assert) =>
      withServer(platform, async (base) => {
        for (const [path, location] of [
          ["/to-file", "file:///etc/hostname"],
          ["/to-data", "data:text/plain,leaked"],
        ] as const) {
          let error: unknown;
          try {
            const res = await platform.httpRequest(`${base}${path}`, GET);
            error = `resolved with status ${res.status} and body ${JSON.stringify(text(res.body).slice(0, 40))}`;
          } catch (err) {
            error = err;
          }
          const got = error as { name?: unknown; code?: unknown; message?: unknown };
          assert.equal(got.name, "NetError", `${path}: rejects with a NetError (got ${String(error)})`);
          assert.equal(got.code, "OTHER", `${path}: code`);
          assert.ok(
            String(got.message).includes(location),
            `${path}: message names ${location}: ${String(got.message)}`,
          );
        }
        const still = await platform.httpRequest(`${base}/to-file`, { ...GET, maxRedirects: 0 });
        assert.equal(still.status, 302, "with maxRedirects 0 the 3xx itself is returned");
      }),
  },
  {
    name: "httpRequest() turns a POST answered by 303 into a GET without body",
    run: (platform, assert) =>
      withServer(platform, async (base) => {
        const res = await platform.httpRequest(`${base}/see-other`, { ...GET, method: "POST", body: "x=1" });
        assert.equal(text(res.body), "GET ", "method and body after 303");
      }),
  },
  {
    name: "httpRequest() rejects with TIMED_OUT past timeoutMs",
    run: (platform, assert) =>
      withServer(platform, async (base) => {
        const started = Date.now();
        await assert.rejects(
          platform.httpRequest(`${base}/slow`, { ...GET, timeoutMs: 200 }),
          "TIMED_OUT",
          "slow",
        );
        const elapsed = Date.now() - started;
        assert.ok(elapsed >= 150 && elapsed < 2000, `timeout honoured (took ${elapsed} ms for 200 ms)`);
      }),
  },
  {
    name: "httpRequest() rejects with TOO_LARGE past maxBytes",
    run: (platform, assert) =>
      withServer(platform, async (base) => {
        await assert.rejects(
          platform.httpRequest(`${base}/big`, { ...GET, maxBytes: BIG - 1 }),
          "TOO_LARGE",
          "big",
        );
        const exact = await platform.httpRequest(`${base}/big`, { ...GET, maxBytes: BIG });
        assert.bytes(exact.body, pattern(BIG, 5), "a body of exactly maxBytes");
      }),
  },
  {
    name: "httpRequest() decodes a gzip body",
    run: (platform, assert) =>
      withServer(platform, async (base) => {
        const res = await platform.httpRequest(`${base}/gzip`, GET);
        assert.equal(text(res.body), GZIPPED_TEXT, "decoded body");
      }),
  },
  {
    name: "httpRequest() over HTTPS verifies the server against the given CA",
    needs: ["tls"],
    async run(platform, assert) {
      const { url, ca } = await tlsFixture(platform, FIXTURE_ENV.caFile);
      const res = await platform.httpRequest(url, { ...GET, tls: { ca, verify: true } });
      assert.equal(res.status, 200, "status");
      assert.equal(text(res.body), "secure hello", "body");
    },
  },
  {
    name: "httpRequest() over HTTPS rejects with TLS when the CA did not sign the server",
    needs: ["tls"],
    skip: { memory: "the virtual network has no TLS" },
    async run(platform, assert) {
      const { url, ca } = await tlsFixture(platform, FIXTURE_ENV.otherCaFile);
      await assert.rejects(
        platform.httpRequest(url, { ...GET, tls: { ca, verify: true } }),
        "TLS",
        "wrong CA",
      );
    },
  },
  {
    name: "httpRequest() over HTTPS with verify false and no CA accepts an unknown issuer",
    needs: ["tls"],
    skip: {
      deno: "Deno's fetch cannot skip verification per client (only --unsafely-ignore-certificate-errors, process-wide)",
    },
    async run(platform, assert) {
      const url = fixtureEnv(platform, FIXTURE_ENV.httpsUrl);
      const res = await platform.httpRequest(url, { ...GET, tls: { verify: false } });
      assert.equal(text(res.body), "secure hello", "body");
    },
  },
  {
    name: "httpRequest() over HTTPS with verify true and no CA rejects an unknown issuer",
    needs: ["tls"],
    skip: { memory: "the virtual network has no TLS" },
    async run(platform, assert) {
      const url = fixtureEnv(platform, FIXTURE_ENV.httpsUrl);
      await assert.rejects(platform.httpRequest(url, { ...GET, tls: { verify: true } }), "TLS", "system CAs");
    },
  },
];
