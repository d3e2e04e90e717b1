/**
 * The fake master's control endpoint, for the demo and for trying the event stream by hand
 * (not part of the Mesos API, and not behind the master's authentication):
 *
 * - `POST /fake/tasks` with `{"framework": NAME_OR_ID, "name": NAME, "ports"?: "[31000-31000]",
 *   "agent"?: ID_OR_HOSTNAME}` launches a `TASK_RUNNING` task with one `TASK_RUNNING` status
 *   (timestamp now) on that agent (the first agent by default), id `<name>.<uuid>`; answers
 *   `{"id": ...}`.
 * - `DELETE /fake/tasks/<id>` kills it (`TASK_KILLED`); answers `{"id": ..., "state": "TASK_KILLED"}`.
 *
 * Errors: 400 for a bad body, 404 for an unknown framework, agent or task, 405 for other methods.
 *
 * @module
 */
import { findFramework } from "./_fake-master-doc.ts";
import { agentsOf, type StateTask } from "./_fake-master-v1.ts";

/** What the control endpoint needs from its master. */
export interface ControlHost {
  document(): unknown;
  launchTask(frameworkId: string, task: StateTask): void;
  updateTask(taskId: string, state: string): void;
}

export const CONTROL_PREFIX = "/fake/tasks";

const json = (status: number, body: unknown) => Response.json(body, { status });
const fail = (status: number, error: string) => json(status, { error });

/** Answers a request under {@link CONTROL_PREFIX}. */
export async function control(request: Request, path: string, host: ControlHost): Promise<Response> {
  if (path === CONTROL_PREFIX) {
    if (request.method !== "POST") return fail(405, "use POST /fake/tasks");
    return await launch(request, host);
  }
  const id = decodeURIComponent(path.slice(CONTROL_PREFIX.length + 1));
  if (!path.startsWith(`${CONTROL_PREFIX}/`) || id === "") return fail(404, "not found");
  if (request.method !== "DELETE") return fail(405, "use DELETE /fake/tasks/<id>");
  try {
    host.updateTask(id, "TASK_KILLED");
  } catch (error) {
    return fail(404, (error as Error).message);
  }
  return json(200, { id, state: "TASK_KILLED" });
}

async function launch(request: Request, host: ControlHost): Promise<Response> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return fail(400, "the body must be JSON");
  }
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const { framework, name, ports, agent } = b;
  if (typeof framework !== "string" || typeof name !== "string" || name === "") {
    return fail(400, 'want {"framework": NAME_OR_ID, "name": NAME, "ports"?: "[A-B, ...]", "agent"?: ID}');
  }
  if (ports !== undefined && (typeof ports !== "string" || !/^\[[\d\s,-]*\]$/.test(ports))) {
    return fail(400, 'ports must be Mesos range text such as "[31000-31001, 31005-31005]"');
  }
  const doc = host.document();
  const owner = findFramework(doc, framework);
  if (!owner) return fail(404, `no framework "${framework}"`);
  const agents = agentsOf(doc);
  const chosen = agent === undefined ? agents[0] : agents.find((a) => a.id === agent || a.hostname === agent);
  if (!chosen) return fail(404, agent === undefined ? "the state has no agent" : `no agent "${agent}"`);
  const id = `${name}.${crypto.randomUUID()}`;
  const now = Date.now() / 1000;
  const task: StateTask = {
    id,
    name,
    ...(owner.id !== undefined ? { framework_id: owner.id } : {}),
    slave_id: chosen.id,
    executor_id: "",
    state: "TASK_RUNNING",
    resources: { cpus: 0.1, mem: 32, disk: 0, ...(ports ? { ports } : {}) },
    statuses: [{ state: "TASK_RUNNING", timestamp: now }],
  };
  try {
    host.launchTask(framework, task);
  } catch (error) {
    return fail(404, (error as Error).message);
  }
  return json(200, { id });
}
