/**
 * Shared set-up of the store tests: unique database and channel names, small
 * valid rule sets, and cleanup of every store a test opened.
 */
import { deleteDB } from "idb";
import { afterEach } from "vitest";
import {
  openRuleSetStore,
  type OpenRuleSetStoreOptions,
  type RuleSetStore,
} from "../../src/store/index.js";

const opened: RuleSetStore[] = [];
const databases = new Set<string>();

afterEach(async () => {
  for (const store of opened.splice(0)) store.close();
  for (const name of databases) await deleteDB(name);
  databases.clear();
});

/** Returns a database name no other test uses, deleted after the test. */
export function uniqueDbName(): string {
  const name = `switchyard-test-${crypto.randomUUID()}`;
  databases.add(name);
  return name;
}

/** Opens a store on a fresh database and channel unless the options name them. */
export async function openTestStore(
  options: OpenRuleSetStoreOptions = {},
): Promise<RuleSetStore> {
  const store = await openRuleSetStore({
    dbName: options.dbName ?? uniqueDbName(),
    channelName: options.channelName ?? `switchyard-test-${crypto.randomUUID()}`,
    ...options,
  });
  opened.push(store);
  return store;
}

/** Builds a valid rule set whose `review` rule sends tasks to `agent`. */
export function makeRuleSet(name: string, agent = "A"): Record<string, unknown> {
  return {
    format: "switchyard/ruleset",
    version: 1,
    name,
    agents: [
      { id: "A", taskTypes: ["review"] },
      { id: "B", taskTypes: ["review", "build"] },
    ],
    rules: [{ id: "r1", priority: 5, when: { taskType: "review" }, agent }],
  };
}

/** Builds rules of equal priority whose file order decides the winner. */
export function tiedRuleSet(name: string): Record<string, unknown> {
  return {
    format: "switchyard/ruleset",
    version: 1,
    name,
    agents: ["A", "B", "C", "D"].map((id) => ({ id, taskTypes: ["review"] })),
    rules: [
      { id: "R1", priority: 5, when: { taskType: "review" }, agent: "A" },
      { id: "R2", priority: 5, when: { taskType: "review" }, agent: "B" },
      { id: "R3", priority: 5, when: { taskType: "review" }, agent: "C" },
      { id: "R4", priority: 1, when: { taskType: "review" }, agent: "D" },
    ],
  };
}

/** Resolves with the first value `register` delivers, or rejects after `timeoutMs`. */
export function nextEvent<T>(
  register: (deliver: (value: T) => void) => () => void,
  timeoutMs = 2_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no event within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = register((value) => {
      clearTimeout(timer);
      stop();
      resolve(value);
    });
  });
}
