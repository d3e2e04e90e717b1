import { describe, expect, test } from "bun:test";
import type { Authenticator } from "../../../src/core/mesos/auth.ts";
import { type FetchStateDeps, fetchState } from "../../../src/core/mesos/state-fetch.ts";
import { type HttpRequestOptions, type HttpResponseData, NetError } from "../../../src/core/platform.ts";

type Answer = { status?: number; body?: string } | NetError;

/** A fake HTTP client: URL -> answer, recording every request. */
function fakeHttp(answers: Record<string, Answer | ((o: HttpRequestOptions) => Answer)>) {
  const calls: Array<{ url: string; options: HttpRequestOptions }> = [];
  const platform = {
    async httpRequest(url: string, options: HttpRequestOptions): Promise<HttpResponseData> {
      calls.push({ url, options });
      const entry = answers[url];
      const answer = typeof entry === "function" ? entry(options) : entry;
      if (answer === undefined) throw new NetError("CONNECTION_REFUSED", `connect ECONNREFUSED ${url}`);
      if (answer instanceof NetError) throw answer;
      return {
        status: answer.status ?? 200,
        url,
        headers: new Headers(),
        body: new TextEncoder().encode(answer.body ?? ""),
      };
    },
  };
  return { platform, calls };
}

const config = { MesosHTTPSOn: false, StateTimeoutSeconds: 7, StateMaxBytes: 1000 };
const state = (leader: string) => ({ body: JSON.stringify({ leader, frameworks: [] }) });
const deps = (platform: FetchStateDeps["platform"], extra: Partial<FetchStateDeps> = {}): FetchStateDeps => ({
  platform,
  config,
  ...extra,
});

describe("fetchState() (docs/spec.md §3.4)", () => {
  test("an empty list is an error", async () => {
    const { platform } = fakeHttp({});
    expect(await fetchState([], deps(platform))).toEqual({
      ok: false,
      error: "no masters given to fetch state.json",
    });
  });

  test("asks the leader slot at /master/state with upstream's headers, timeout and size limit", async () => {
    const { platform, calls } = fakeHttp({
      "http://10.0.0.1:5050/master/state": state("master@10.0.0.1:5050"),
    });
    const result = await fetchState(["10.0.0.1:5050", "10.0.0.2:5050"], deps(platform));
    expect(result).toEqual({
      ok: true,
      json: { leader: "master@10.0.0.1:5050", frameworks: [] },
      master: "10.0.0.1:5050",
    });
    expect(calls).toHaveLength(1);
    const options = calls[0]?.options;
    expect(options?.method).toBe("GET");
    expect(options?.headers["User-Agent"]).toBe("Mesos-DNS");
    expect(options?.headers.Authorization).toBeUndefined();
    expect(options?.timeoutMs).toBe(7000);
    expect(options?.maxBytes).toBe(1000);
    expect(options?.maxRedirects).toBe(10);
  });

  test("follows the leader named in the state, at the leader's own port (docs/spec.md §10 #18)", async () => {
    const { platform, calls } = fakeHttp({
      "http://10.0.0.2:5050/master/state": state("master@10.0.0.1:5051"),
      "http://10.0.0.1:5051/master/state": state("master@10.0.0.1:5051"),
    });
    const result = await fetchState(["10.0.0.2:5050"], deps(platform));
    expect(result.ok && result.master).toBe("10.0.0.1:5051");
    expect(calls.map((c) => c.url)).toEqual([
      "http://10.0.0.2:5050/master/state",
      "http://10.0.0.1:5051/master/state",
    ]);
  });

  test("falls back to the other masters in order when the leader slot fails", async () => {
    const { platform, calls } = fakeHttp({
      "http://10.0.0.3:5050/master/state": state("master@10.0.0.3:5050"),
    });
    const result = await fetchState(["10.0.0.1:5050", "10.0.0.2:5050", "10.0.0.3:5050"], deps(platform));
    expect(result.ok && result.master).toBe("10.0.0.3:5050");
    expect(calls.map((c) => c.url.split("/")[2])).toEqual([
      "10.0.0.1:5050",
      "10.0.0.2:5050",
      "10.0.0.3:5050",
    ]);
  });

  test("skips the empty leader slot and returns the last error when every master fails", async () => {
    const { platform } = fakeHttp({ "http://10.0.0.5:5050/master/state": { status: 503, body: "busy" } });
    const result = await fetchState(["", "10.0.0.4:5050", "10.0.0.5:5050"], deps(platform));
    expect(result).toEqual({ ok: false, error: 'Cannot fetch state from master "10.0.0.5:5050": HTTP 503' });
  });

  test("a failing leader without fallbacks returns its error", async () => {
    const { platform } = fakeHttp({});
    const result = await fetchState(["10.0.0.1:5050"], deps(platform));
    expect(result).toEqual({
      ok: false,
      error:
        'Cannot fetch state from master "10.0.0.1:5050": connect ECONNREFUSED http://10.0.0.1:5050/master/state',
    });
  });

  test("an unknown leader and no fallbacks is an error, not an empty state", async () => {
    const { platform, calls } = fakeHttp({});
    const result = await fetchState([""], deps(platform));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain("empty master");
    expect(calls).toHaveLength(0);
  });

  test("falls back to /master/state.json and then /state.json on 404 (older Mesos)", async () => {
    const { platform, calls } = fakeHttp({
      "http://10.0.0.1:5050/master/state": { status: 404 },
      "http://10.0.0.1:5050/master/state.json": { status: 404 },
      "http://10.0.0.1:5050/state.json": state("master@10.0.0.1:5050"),
    });
    const result = await fetchState(["10.0.0.1:5050"], deps(platform));
    expect(result.ok).toBe(true);
    expect(calls).toHaveLength(3);
  });

  test("invalid JSON, a missing leader and a malformed leader are errors naming the master", async () => {
    const { platform } = fakeHttp({
      "http://10.0.0.1:5050/master/state": { body: '{"leader": "master@10.0' },
      "http://10.0.0.2:5050/master/state": { body: '{"frameworks": []}' },
      "http://10.0.0.3:5050/master/state": { body: '{"leader": "a@b@c"}' },
    });
    const one = async (m: string) => {
      const r = await fetchState([m], deps(platform));
      return r.ok ? "" : r.error;
    };
    expect(await one("10.0.0.1:5050")).toStartWith(
      'Cannot parse state from master "10.0.0.1:5050" (23 bytes): ',
    );
    expect(await one("10.0.0.2:5050")).toBe(
      'State from master "10.0.0.2:5050" does not contain leader information',
    );
    expect(await one("10.0.0.3:5050")).toBe(
      'State from master "10.0.0.3:5050" names no usable leader: "a@b@c"',
    );
  });

  test("a leader with a port outside 1..65535 or a host that is not a plain name or IP is not followed", async () => {
    const leaders = [
      "master@10.0.0.9:0",
      "master@10.0.0.9:65536",
      "master@10.0.0.9:+80",
      "master@10.0.0.9:",
      "master@:5050",
      "master@bad_host:5050",
      "master@[not-ipv6]:5050",
      'master@10.0.0.9:5050\nERROR: forged "line"',
      "master@evil.example/x?:5050",
    ];
    for (const leader of leaders) {
      const { platform, calls } = fakeHttp({ "http://10.0.0.1:5050/master/state": state(leader) });
      const result = await fetchState(["10.0.0.1:5050"], deps(platform));
      expect(result).toEqual({
        ok: false,
        error: `State from master "10.0.0.1:5050" names no usable leader: ${JSON.stringify(leader)}`,
      });
      expect(calls).toHaveLength(1);
    }
  });

  test("a leader named by host name or bracketed IPv6 literal is followed", async () => {
    const { platform, calls } = fakeHttp({
      "http://10.0.0.1:5050/master/state": state("master@mesos-1.example:5050"),
      "http://mesos-1.example:5050/master/state": state("master@mesos-1.example:5050"),
      "http://10.0.0.2:5050/master/state": state("master@[fd00::2]:5051"),
      "http://[fd00::2]:5051/master/state": state("master@[fd00::2]:5051"),
    });
    expect((await fetchState(["10.0.0.1:5050"], deps(platform))).ok).toBe(true);
    expect((await fetchState(["10.0.0.2:5050"], deps(platform))).ok).toBe(true);
    expect(calls.map((c) => c.url)).toEqual([
      "http://10.0.0.1:5050/master/state",
      "http://mesos-1.example:5050/master/state",
      "http://10.0.0.2:5050/master/state",
      "http://[fd00::2]:5051/master/state",
    ]);
  });

  test("error messages carry no control characters, whatever a master or the masters list holds", async () => {
    const { platform } = fakeHttp({
      "http://10.0.0.1:5050/master/state": new NetError("OTHER", "bad\r\nERROR: forged\u2028line"),
      "http://10.0.0.2:5050/master/state": { body: "\u001b[31m\nnot json" },
    });
    const errors: string[] = [];
    for (const m of ["10.0.0.1:5050", "10.0.0.2:5050", "no-port\nERROR forged"]) {
      const r = await fetchState([m], deps(platform));
      if (!r.ok) errors.push(r.error);
    }
    expect(errors).toHaveLength(3);
    for (const e of errors) expect(e).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    expect(errors[0]).toBe(
      'Cannot fetch state from master "10.0.0.1:5050": bad\\r\\nERROR: forged\\u2028line',
    );
    expect(errors[2]).toBe('Invalid master address "no-port\\nERROR forged": want host:port');
  });

  test("a timeout and an oversized state name the setting", async () => {
    const { platform } = fakeHttp({
      "http://10.0.0.1:5050/master/state": new NetError("TIMED_OUT", "timed out"),
      "http://10.0.0.2:5050/master/state": new NetError("TOO_LARGE", "too large"),
    });
    const a = await fetchState(["10.0.0.1:5050"], deps(platform));
    const b = await fetchState(["10.0.0.2:5050"], deps(platform));
    expect(!a.ok && a.error).toBe(
      'Cannot fetch state from master "10.0.0.1:5050": no complete answer within stateTimeoutSeconds (7 s)',
    );
    expect(!b.ok && b.error).toBe(
      'Cannot fetch state from master "10.0.0.2:5050": state larger than stateMaxBytes (1000 bytes)',
    );
  });

  test("uses https and the TLS options when mesosHTTPSOn is set; IPv6 masters are bracketed", async () => {
    const { platform, calls } = fakeHttp({
      "https://[fd00::1]:5050/master/state": state("master@[fd00::1]:5050"),
    });
    const tls = { verify: true, ca: "PEM" };
    const result = await fetchState(["[fd00::1]:5050"], {
      platform,
      config: { ...config, MesosHTTPSOn: true },
      tls,
    });
    expect(result.ok).toBe(true);
    expect(calls[0]?.options.tls).toEqual(tls);
  });

  test("sends the authenticator's header and retries once with a fresh one after a 401", async () => {
    let n = 0;
    const auth: Authenticator = {
      header: async () => ({ ok: true, value: `token=t${++n}` }),
      rejected: () => true,
    };
    const { platform, calls } = fakeHttp({
      "http://10.0.0.1:5050/master/state": (o) =>
        o.headers.Authorization === "token=t2" ? state("master@10.0.0.1:5050") : { status: 401 },
    });
    const result = await fetchState(["10.0.0.1:5050"], deps(platform, { auth }));
    expect(result.ok).toBe(true);
    expect(calls.map((c) => c.options.headers.Authorization)).toEqual(["token=t1", "token=t2"]);
  });

  test("an authentication failure is the fetch's error", async () => {
    const auth: Authenticator = {
      header: async () => ({ ok: false, error: "IAM authentication failed" }),
      rejected: () => false,
    };
    const { platform, calls } = fakeHttp({});
    const result = await fetchState(["10.0.0.1:5050"], deps(platform, { auth }));
    expect(result).toEqual({
      ok: false,
      error: 'Cannot fetch state from master "10.0.0.1:5050": IAM authentication failed',
    });
    expect(calls).toHaveLength(0);
  });

  test("never throws, even when the HTTP client has a bug", async () => {
    const platform = { httpRequest: () => Promise.reject(new TypeError("boom")) };
    const result = await fetchState(["10.0.0.1:5050"], deps(platform));
    expect(result).toEqual({ ok: false, error: 'Cannot fetch state from master "10.0.0.1:5050": boom' });
  });
});
