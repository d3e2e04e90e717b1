import { describe, expect, test } from "bun:test";
import { configView, MASKED_SECRET } from "../../../src/core/http/config-view.ts";
import { createHttpApi, type HttpApiDeps } from "../../../src/core/http/http-api.ts";
import { MetricsRegistry } from "../../../src/core/metrics/metrics.ts";
import { RecordSetBuilder } from "../../../src/core/records/record-set.ts";
import type { Snapshot } from "../../../src/core/records/snapshot.ts";
import { conformanceConfig } from "../../_http-fixture.ts";
import { parseProm, sampleValue } from "../../_prom-parse.ts";

const LOADED_MS = 1_700_000_000_000;

function tinySnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  const builder = new RecordSetBuilder();
  builder.insert("A", "leader.mesos.", "127.0.0.1");
  builder.insert("SRV", "_leader._tcp.mesos.", "leader.mesos.:5050");
  const records = builder.build({ frameworks: [] }, []);
  return {
    records,
    serial: 1700000000,
    loadedAtMs: LOADED_MS,
    leader: "master@127.0.0.1:5050",
    masters: [],
    ...overrides,
  };
}

function api(overrides: Partial<HttpApiDeps> = {}) {
  let snapshot: Snapshot | undefined = tinySnapshot();
  let now = LOADED_MS + 1_000;
  const deps: HttpApiDeps = {
    config: conformanceConfig(),
    version: "v1.2.3",
    snapshot: () => snapshot,
    metrics: new MetricsRegistry(),
    now: () => now,
    ...overrides,
  };
  const handle = createHttpApi(deps);
  return {
    deps,
    setSnapshot: (s: Snapshot | undefined) => {
      snapshot = s;
    },
    setNow: (ms: number) => {
      now = ms;
    },
    get: (path: string, init: RequestInit = {}) => handle(new Request(`http://127.0.0.1:8123${path}`, init)),
  };
}

describe("createHttpApi() upstream formatting (docs/spec.md §8.1)", () => {
  test("GET /v1/version answers Go's indented JSON, Content-Type application/json without charset", async () => {
    const res = await api().get("/v1/version");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.text()).toBe(
      '{\n  "Service": "Mesos-DNS",\n  "URL": "https://github.com/mesosphere/mesos-dns",\n  "Version": "v1.2.3"\n }',
    );
  });

  test("a single trailing slash is tolerated, two are not", async () => {
    const { get } = api();
    expect(await (await get("/v1/version/")).text()).toBe(await (await get("/v1/version")).text());
    expect((await get("/v1/version//")).status).toBe(404);
  });

  test("an unknown or differently cased path is 404 with a plain-text body", async () => {
    const { get } = api();
    for (const path of ["/", "/v1", "/v1/hosts/", "/V1/version", "/v2/version", "/v1/hosts/a/b"]) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(await res.text()).toBe("404: Page Not Found");
    }
  });

  test("a method other than GET on a known path is 405; on an unknown path 404", async () => {
    const { get } = api();
    for (const method of ["POST", "HEAD", "DELETE", "PUT", "OPTIONS"]) {
      for (const path of ["/v1/version", "/v1/hosts/leader.mesos", "/v1/enumerate", "/health", "/metrics"]) {
        const res = await get(path, { method });
        expect([method, path, res.status]).toEqual([method, path, 405]);
        if (method !== "HEAD") expect(await res.text()).toBe("405: Method Not Allowed");
      }
    }
    expect((await get("/nowhere", { method: "POST", body: "x" })).status).toBe(404);
  });

  test("a request body that is not application/json is 415", async () => {
    const { get } = api();
    const withBody = (type?: string) => ({
      headers: { "content-length": "4", ...(type === undefined ? {} : { "content-type": type }) },
    });
    const res = await get("/v1/version", withBody("text/plain"));
    expect(res.status).toBe(415);
    expect(await res.text()).toBe("415: Unsupported Media Type");
    expect((await get("/v1/version", withBody())).status).toBe(415);
    expect((await get("/v1/version", withBody("application/json; charset=utf-8"))).status).toBe(200);
    expect((await get("/v1/version", { headers: { "content-type": "text/plain" } })).status).toBe(200);
  });

  test("an Accept naming neither */* nor application/json is 406; parameters are ignored", async () => {
    const { get } = api();
    const res = await get("/v1/version", { headers: { accept: "text/html" } });
    expect(res.status).toBe(406);
    expect(await res.text()).toBe("406: Not Acceptable");
    for (const accept of ["*/*", "text/html, application/json;q=0.9", "text/html;q=1, */*;q=0.1", ""]) {
      expect([accept, (await get("/v1/version", { headers: { accept } })).status]).toEqual([accept, 200]);
    }
    // Checked after the method, as upstream's router does.
    expect((await get("/v1/version", { method: "POST", headers: { accept: "text/html" } })).status).toBe(405);
  });

  test("/v1/hosts/{host}/ports is 501 To be implemented...", async () => {
    const res = await api().get("/v1/hosts/leader.mesos/ports");
    expect(res.status).toBe(501);
    expect(await res.text()).toBe("To be implemented...");
  });

  test("/v1/hosts/.* (an empty name) answers the placeholder, not a 500 (docs/spec.md §10 #39)", async () => {
    const res = await api().get("/v1/hosts/.*");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('[\n  {\n   "host": "",\n   "ip": ""\n  }\n ]');
  });

  test("/v1/hosts normalises: deletes .*, lower-cases, appends the dot", async () => {
    const { get } = api();
    const expected = '[\n  {\n   "host": "leader.mesos.",\n   "ip": "127.0.0.1"\n  }\n ]';
    for (const path of ["leader.mesos", "LEADER.Mesos.", "lead.*er.mesos.*", "leader%2Emesos"]) {
      expect([path, await (await get(`/v1/hosts/${path}`)).text()]).toEqual([path, expected]);
    }
  });

  test("/v1/services echoes the service as given in the path and sends the port as a string", async () => {
    const res = await api().get("/v1/services/_LEADER._tcp.mesos");
    expect(await res.text()).toBe(
      '[\n  {\n   "service": "_LEADER._tcp.mesos",\n   "host": "leader.mesos.",\n   "ip": "127.0.0.1",\n   "port": "5050"\n  }\n ]',
    );
  });

  test("before the first state load, lookups answer empty shapes and enumerate {frameworks: []}", async () => {
    const { get, setSnapshot } = api();
    setSnapshot(undefined);
    expect(await (await get("/v1/hosts/leader.mesos")).text()).toBe(
      '[\n  {\n   "host": "",\n   "ip": ""\n  }\n ]',
    );
    expect(JSON.parse(await (await get("/v1/services/_leader._tcp.mesos")).text())).toEqual([
      { service: "", host: "", ip: "", port: "" },
    ]);
    expect(await (await get("/v1/enumerate")).text()).toBe('{\n  "frameworks": []\n }');
    expect((await get("/v1/axfr")).status).toBe(200);
  });

  test("/v1/enumerate and /v1/axfr are 404 when EnumerationOn is false", async () => {
    const { get } = api({ config: conformanceConfig({ EnumerationOn: false }) });
    expect((await get("/v1/enumerate")).status).toBe(404);
    expect((await get("/v1/axfr/")).status).toBe(404);
  });

  test("/v1/config is configView in upstream key order, with the serial of the loaded state and the secret masked", async () => {
    const config = conformanceConfig({ MesosCredentials: { Principal: "p", Secret: "s3cret" } });
    const res = await api({ config }).get("/v1/config");
    const body = JSON.parse(await res.text()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(Object.keys(configView(config)));
    expect(body.SOASerial).toBe(1700000000);
    expect(body.MesosCredentials).toEqual({ Principal: "p", Secret: MASKED_SECRET });
    expect(res.headers.get("content-type")).toBe("application/json");
  });

  test("/v1/config masks the ZooKeeper password", async () => {
    const config = conformanceConfig({ Zk: "zk://mesos:s3cretpw@10.0.0.1:2181/mesos" });
    const text = await (await api({ config }).get("/v1/config")).text();
    expect(text).not.toContain("s3cretpw");
    expect((JSON.parse(text) as Record<string, unknown>).Zk).toBe("zk://mesos:********@10.0.0.1:2181/mesos");
  });

  test("lookupStats hears whether each lookup was in the domain and found something", async () => {
    const calls: Array<[boolean, boolean]> = [];
    const { get } = api({ lookupStats: (inDomain, found) => calls.push([inDomain, found]) });
    await get("/v1/hosts/leader.mesos");
    await get("/v1/hosts/nothing.mesos");
    await get("/v1/hosts/example.com");
    await get("/v1/services/_leader._tcp.mesos");
    expect(calls).toEqual([
      [true, true],
      [true, false],
      [false, false],
      [true, true],
    ]);
  });
});

describe("createHttpApi() own endpoints", () => {
  test('GET /health answers {"status":"ok"}', async () => {
    const res = await api().get("/health");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"status":"ok"}');
  });

  test("GET /ready is 503 before the first state, 200 while fresh, 503 once older than 3 x RefreshSeconds", async () => {
    const { get, setSnapshot, setNow } = api();
    setSnapshot(undefined);
    let res = await get("/ready");
    expect([res.status, await res.text()]).toEqual([503, '{"ready":false,"reason":"no state loaded yet"}']);
    setSnapshot(tinySnapshot());
    setNow(LOADED_MS + 14_900);
    res = await get("/ready");
    expect([res.status, await res.text()]).toEqual([
      200,
      '{"ready":true,"stateAgeSeconds":14,"leader":"master@127.0.0.1:5050","source":"polling"}',
    ]);
    setNow(LOADED_MS + 15_000);
    res = await get("/ready");
    expect([res.status, await res.text()]).toEqual([
      503,
      '{"ready":false,"reason":"state is 15 s old (limit 15 s)"}',
    ]);
  });

  test("GET /ready uses ReadyMaxAgeSeconds when set", async () => {
    const { get, setNow } = api({ config: conformanceConfig({ ReadyMaxAgeSeconds: 180 }) });
    setNow(LOADED_MS + 100_000);
    expect((await get("/ready")).status).toBe(200);
    setNow(LOADED_MS + 412_000);
    expect(await (await get("/ready")).text()).toBe(
      '{"ready":false,"reason":"state is 412 s old (limit 180 s)"}',
    );
  });

  test("GET /metrics exposes the registry in text format 0.0.4 and counts HTTP requests", async () => {
    const { get } = api();
    await get("/v1/version");
    await get("/nowhere");
    const res = await get("/metrics");
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const families = parseProm(await res.text());
    const requests = (labels: Record<string, string>) =>
      sampleValue(families, "mesos_dns_http_requests_total", labels);
    expect(requests({ handler: "/v1/version", code: "200" })).toBe(1);
    expect(requests({ handler: "notfound", code: "404" })).toBe(1);
  });

  test('an exception inside a handler is a 500 {"error":"internal error"}, reported and counted', async () => {
    const errors: unknown[] = [];
    const { get, deps } = api({
      snapshot: () => {
        throw new Error("secret stack detail");
      },
      onInternalError: (error) => errors.push(error),
    });
    for (const path of ["/v1/hosts/leader.mesos", "/v1/enumerate", "/ready"]) {
      const res = await get(path);
      expect([path, res.status, await res.text()]).toEqual([path, 500, '{"error":"internal error"}']);
      expect(res.headers.get("content-type")).toBe("application/json");
    }
    expect(errors).toHaveLength(3);
    const families = parseProm(deps.metrics.expose());
    expect(
      sampleValue(families, "mesos_dns_http_requests_total", { handler: "/v1/hosts/{host}", code: "500" }),
    ).toBe(1);
  });
});
