/**
 * Fixtures shared by the worker router tests in Node and in Chromium. This
 * module must not import Node APIs, because the browser suites load it too.
 */

import { parseRuleSet } from "../src/engine/schema/index.js";
import type { Plan, RuleSet, Task } from "../src/engine/types.js";
import {
  createRouter,
  type CreateRouterOptions,
  type RouterClient,
} from "../src/worker/client.js";

/** Builds a pending task with no dependencies, empty description and metadata. */
export function task(id: string, type: string, extra: Partial<Task> = {}): Task {
  return {
    id,
    type,
    description: "",
    dependsOn: [],
    status: "pending",
    metadata: {},
    ...extra,
  };
}

/** Wraps `tasks` in a version 1 plan document. */
export function plan(tasks: Task[]): Plan {
  return { format: "switchyard/plan", version: 1, tasks };
}

/**
 * Parses the capacity rule set `A(t;1)`, `B(t;5)` with rule `t -> A`,
 * followed by `extraRules`.
 */
export function capacityRuleSet(name: string, extraRules: unknown[] = []): RuleSet {
  return parseRuleSet({
    format: "switchyard/ruleset",
    version: 1,
    name,
    agents: [
      { id: "A", taskTypes: ["t"], maxConcurrent: 1 },
      { id: "B", taskTypes: ["t"], maxConcurrent: 5 },
    ],
    rules: [
      { id: "r", priority: 1, when: { taskType: "t" }, agent: "A", explanation: "to A" },
      ...extraRules,
    ],
  });
}

/** Plan of three tasks `t1`, `t2` and `t3`, all of type `t`. */
export const threeTasks = plan([task("t1", "t"), task("t2", "t"), task("t3", "t")]);

/** Routers started by one test file, so that its `afterEach` can terminate them. */
export interface RouterTracker {
  /** Starts a router and records it for `terminateRouters`. */
  startRouter(options?: CreateRouterOptions): Promise<RouterClient>;
  /** Terminates every router started since the last call. */
  terminateRouters(): void;
}

/** Creates an empty router tracker. */
export function trackRouters(): RouterTracker {
  const started: RouterClient[] = [];
  return {
    async startRouter(options: CreateRouterOptions = {}): Promise<RouterClient> {
      const client = await createRouter(options);
      started.push(client);
      return client;
    },
    terminateRouters(): void {
      for (const client of started.splice(0)) client.terminate();
    },
  };
}
