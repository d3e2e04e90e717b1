/**
 * The state document a v1 event stream describes, kept by plain JSON manipulation (no code
 * under test): a test applies each event here and to the follower, then compares the
 * follower's records with a whole generation from this document.
 */
import { v1AgentToState, v1FrameworkToState, v1TaskToState } from "../mesos/_v1-to-state.ts";

type Json = Record<string, unknown>;
const value = (wrapped: unknown): string =>
  ((wrapped as { value?: string } | undefined)?.value ?? "") as string;

export class StreamDoc {
  frameworks: Array<{ id: string; name: string; hostname: string; pid?: string; tasks: Json[] }> = [];
  slaves: Json[] = [];
  /** Tasks whose framework is not (yet) in the document, by framework id. */
  orphans = new Map<string, Json[]>();

  static fromSubscribed(event: Json): StreamDoc {
    const doc = new StreamDoc();
    const state = (event["subscribed"] as Json)["get_state"] as Json;
    const frameworks = ((state["get_frameworks"] as Json | undefined)?.["frameworks"] ?? []) as Json[];
    for (const f of frameworks) doc.#framework(f["framework_info"]);
    for (const a of ((state["get_agents"] as Json | undefined)?.["agents"] ?? []) as Json[]) {
      doc.slaves.push(v1AgentToState(a) as Json);
    }
    for (const t of ((state["get_tasks"] as Json | undefined)?.["tasks"] ?? []) as Json[]) doc.#task(t);
    return doc;
  }

  /** Applies one v1 event (already parsed JSON). */
  apply(event: Json): void {
    const type = event["type"] as string;
    const body = (event[type.toLowerCase()] ?? {}) as Json;
    switch (type) {
      case "TASK_ADDED":
        this.#task(body["task"] as Json);
        return;
      case "TASK_UPDATED": {
        const status = body["status"] as Json;
        const id = value(status["task_id"]);
        const frameworkId = value(body["framework_id"]);
        for (const task of this.#tasksOf(frameworkId)) {
          if (task["id"] !== id) continue;
          task["state"] = body["state"];
          const labels = (status["labels"] as Json | undefined)?.["labels"] ?? [];
          task["statuses"] = [...((task["statuses"] as Json[] | undefined) ?? []), { ...status, labels }];
        }
        return;
      }
      case "FRAMEWORK_ADDED":
      case "FRAMEWORK_UPDATED":
        this.#framework((body["framework"] as Json)["framework_info"]);
        return;
      case "FRAMEWORK_REMOVED": {
        const id = value((body["framework_info"] as Json)["id"]);
        this.frameworks = this.frameworks.filter((f) => f.id !== id);
        return;
      }
      case "AGENT_ADDED": {
        const agent = v1AgentToState(body["agent"]) as Json;
        this.slaves = [...this.slaves.filter((s) => s["id"] !== agent["id"]), agent];
        return;
      }
      case "AGENT_REMOVED": {
        const id = value(body["agent_id"]);
        this.slaves = this.slaves.filter((s) => s["id"] !== id);
        return;
      }
      default:
        return;
    }
  }

  /**
   * A poll of {@link document} reconciled the follower: the polled state wins, so tasks of
   * frameworks the document does not list (which it cannot hold) are forgotten.
   */
  polled(): void {
    this.orphans.clear();
  }

  /** Every task with the id of its framework: the document's, then those of unknown frameworks. */
  tasks(): Array<{ frameworkId: string; task: Json }> {
    const out: Array<{ frameworkId: string; task: Json }> = [];
    for (const f of this.frameworks) for (const task of f.tasks) out.push({ frameworkId: f.id, task });
    for (const [frameworkId, list] of this.orphans) for (const task of list) out.push({ frameworkId, task });
    return out;
  }

  /** The document, with `leader`. */
  document(leader: string): Json {
    return {
      leader,
      frameworks: this.frameworks.map((f) => ({ ...f, tasks: f.tasks })),
      slaves: this.slaves,
    };
  }

  #framework(info: unknown): void {
    const f = v1FrameworkToState(info) as { id: string; name: string; hostname: string };
    const existing = this.frameworks.find((x) => x.id === f.id);
    if (existing) {
      existing.name = f.name;
      existing.hostname = f.hostname;
      return;
    }
    this.frameworks.push({ ...f, tasks: this.orphans.get(f.id) ?? [] });
    this.orphans.delete(f.id);
  }

  #task(v1: Json): void {
    const frameworkId = value(v1["framework_id"]);
    const task = v1TaskToState(v1) as Json;
    const framework = this.frameworks.find((f) => f.id === frameworkId);
    const list = framework ? framework.tasks : (this.orphans.get(frameworkId) ?? []);
    const at = list.findIndex((t) => t["id"] === task["id"]);
    if (at >= 0) list[at] = task;
    else list.push(task);
    if (!framework) this.orphans.set(frameworkId, list);
  }

  #tasksOf(frameworkId: string): Json[] {
    return this.frameworks.find((f) => f.id === frameworkId)?.tasks ?? this.orphans.get(frameworkId) ?? [];
  }
}
