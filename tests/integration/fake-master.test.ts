/** The fake Mesos master test tool speaks the Mesos HTTP API endpoints Mesos-DNS uses. */
import { afterEach, describe, expect, test } from "bun:test";
import { type FakeMaster, startFakeMaster } from "../../scripts/fake-master.ts";

const started: FakeMaster[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((m) => m.stop()));
});
const start = async (leader?: string) => {
  const m = await startFakeMaster({
    state: { frameworks: [], leader: "x@1.2.3.4:1" },
    ...(leader ? { leader } : {}),
  });
  started.push(m);
  return m;
};

describe("startFakeMaster()", () => {
  test("serves the state at every Mesos path with leader and pid rewritten to itself", async () => {
    const m = await start();
    for (const path of ["/master/state", "/master/state.json", "/state", "/state.json"]) {
      const body = (await (await fetch(`${m.url}${path}`)).json()) as Record<string, unknown>;
      expect(body).toEqual({ frameworks: [], leader: `master@${m.hostPort}`, pid: `master@${m.hostPort}` });
    }
    expect((await fetch(`${m.url}/nope`)).status).toBe(404);
  });

  test("announces another leader, and /master/redirect points at it as Mesos does", async () => {
    const m = await start("10.9.9.9:5050");
    expect(((await (await fetch(`${m.url}/master/state`)).json()) as { leader: string }).leader).toBe(
      "master@10.9.9.9:5050",
    );
    const r = await fetch(`${m.url}/master/redirect`, { redirect: "manual" });
    expect(r.status).toBe(307);
    expect(r.headers.get("location")).toBe("//10.9.9.9:5050");
    m.setLeader("self");
    expect(m.leader()).toBe(m.hostPort);
  });

  test("switchable behaviours: status, truncated and invalid JSON", async () => {
    const m = await start();
    m.setBehaviour({ kind: "status", status: 503 });
    expect((await fetch(`${m.url}/master/state`)).status).toBe(503);
    m.setBehaviour({ kind: "truncated" });
    const cut = await (await fetch(`${m.url}/master/state`)).text();
    expect(() => JSON.parse(cut)).toThrow();
    m.setBehaviour({ kind: "invalid-json" });
    expect(await (await fetch(`${m.url}/master/state`)).text()).toStartWith("<html>");
    expect((await fetch(`${m.url}/version`)).ok).toBe(true);
    expect(m.requests.map((r) => r.path)).toContain("/version");
  });
});
