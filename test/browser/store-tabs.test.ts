import { deleteDB, openDB } from "idb";
import { afterEach, describe, expect, test } from "vitest";
import {
  listenForRuleSetChanges,
  readActiveRuleSet,
  SCHEMA_VERSION,
  StoreBlockedError,
  StoreClosedError,
  StoreVersionError,
  type RuleSetChange,
} from "../../src/store/index.js";
import { openRuleSetDatabase } from "../../src/store/connection.js";
import {
  makeRuleSet,
  nextEvent,
  openTestStore,
  tiedRuleSet,
  uniqueDbName,
} from "./store-harness.js";
import type { WorkerReport } from "./store.worker.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Opens two stores on one database and channel, like two tabs of the app. */
async function twoTabs() {
  const dbName = uniqueDbName();
  const channelName = `switchyard-test-${crypto.randomUUID()}`;
  const first = await openTestStore({ dbName, channelName });
  const second = await openTestStore({ dbName, channelName });
  return { dbName, channelName, first, second };
}

function nextChange(
  subscribe: (listener: (change: RuleSetChange) => void) => () => void,
): Promise<RuleSetChange> {
  return nextEvent<RuleSetChange>((deliver) => subscribe(deliver));
}

describe("two tabs", () => {
  test("second tab reads what first saved", async () => {
    const { first, second } = await twoTabs();
    await first.save(makeRuleSet("default"));
    expect((await second.load("default")).version).toBe(1);
  });

  test("second tab is told about a save", async () => {
    const { first, second } = await twoTabs();
    const received = nextChange((listener) => second.subscribe(listener));
    const saved = await first.save(makeRuleSet("default"));

    expect(await received).toMatchObject({
      kind: "saved",
      name: "default",
      version: 1,
      hash: saved.hash,
      active: false,
    });
  });

  test("store does not hear its own changes", async () => {
    const { first } = await twoTabs();
    const heard: RuleSetChange[] = [];
    first.subscribe((change) => heard.push(change));
    await first.save(makeRuleSet("default"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard).toEqual([]);
  });

  test("plain channel hears active change", async () => {
    const { channelName, first } = await twoTabs();
    await first.save(makeRuleSet("default"));
    const received = nextChange((listener) =>
      listenForRuleSetChanges(listener, channelName),
    );
    await first.setActive("default");

    expect(await received).toMatchObject({ kind: "active", name: "default", version: 1 });
  });

  test("deletion elsewhere closes and reopens", async () => {
    const { dbName, first, second } = await twoTabs();
    await first.save(makeRuleSet("default"));

    // Both stores close on versionchange, so the deletion is not blocked.
    await deleteDB(dbName, {
      blocked: () => {
        throw new Error("deleteDB was blocked by an open store");
      },
    });

    expect(await first.list()).toEqual([]);
    await first.save(makeRuleSet("fresh"));
    expect((await second.load("fresh")).version).toBe(1);
  });

  test("newer schema elsewhere requests reload", async () => {
    const { dbName, first } = await twoTabs();
    await first.save(makeRuleSet("default"));

    const newer = await openDB(dbName, SCHEMA_VERSION + 1);
    newer.close();

    const error = await first.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreVersionError);
    expect((error as Error).message).toContain("Reload the page");
  });

  test("closed store rejects calls", async () => {
    const { first } = await twoTabs();
    first.close();
    await expect(first.list()).rejects.toBeInstanceOf(StoreClosedError);
  });
});

describe("blocked upgrade", () => {
  test("rejects after the timeout, retryable", async () => {
    const dbName = uniqueDbName();
    // A stale tab on an older schema that ignores versionchange.
    const stale = await openDB(dbName, SCHEMA_VERSION);

    const started = performance.now();
    const error = await openRuleSetDatabase(dbName, {
      version: SCHEMA_VERSION + 1,
      blockedTimeoutMs: 150,
    }).catch((caught: unknown) => caught);
    const waited = performance.now() - started;

    expect(error).toBeInstanceOf(StoreBlockedError);
    expect((error as StoreBlockedError).retryable).toBe(true);
    expect((error as StoreBlockedError).code).toBe("E_BLOCKED");
    expect((error as Error).message).toContain("waited 150 ms");
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(2_000);

    // Once the stale tab closes, the late connection is closed at once and
    // a retry succeeds without being blocked by it.
    stale.close();
    const retried = await openRuleSetDatabase(dbName, {
      version: SCHEMA_VERSION + 1,
      blockedTimeoutMs: 1_000,
    });
    expect(retried.version).toBe(SCHEMA_VERSION + 1);
    retried.close();
  });

  test("upgrade without blockers opens", async () => {
    const dbName = uniqueDbName();
    const db = await openRuleSetDatabase(dbName, { blockedTimeoutMs: 50 });
    expect([...db.objectStoreNames].sort()).toEqual(["rulesets", "settings", "versions"]);
    db.close();
  });
});

describe("router worker", () => {
  function startWorker(dbName: string, channelName: string): Worker {
    const worker = new Worker(new URL("./store.worker.ts", import.meta.url), {
      type: "module",
    });
    cleanups.push(() => worker.terminate());
    worker.postMessage({ dbName, channelName });
    return worker;
  }

  function nextReport(worker: Worker): Promise<WorkerReport | "ready"> {
    return nextEvent<WorkerReport | "ready">((deliver) => {
      const onMessage = (event: MessageEvent<WorkerReport | "ready">) =>
        deliver(event.data);
      worker.addEventListener("message", onMessage);
      return () => worker.removeEventListener("message", onMessage);
    }, 5_000);
  }

  test("worker reloads active rule set itself", async () => {
    const { dbName, channelName, first } = await twoTabs();
    const worker = startWorker(dbName, channelName);
    expect(await nextReport(worker)).toBe("ready");

    const saved = await first.save(tiedRuleSet("default"));
    const activated = nextReport(worker);
    await first.setActive("default");
    expect(await activated).toEqual({
      change: expect.objectContaining({ kind: "active", name: "default" }),
      active: {
        name: "default",
        version: 1,
        hash: saved.hash,
        ruleIds: ["R1", "R2", "R3", "R4"],
      },
    });

    const updated = nextReport(worker);
    const second = await first.save(makeRuleSet("default"));
    expect(await updated).toEqual({
      change: expect.objectContaining({ kind: "saved", active: true, version: 2 }),
      active: { name: "default", version: 2, hash: second.hash, ruleIds: ["r1"] },
    });

    const cleared = nextReport(worker);
    await first.delete("default");
    expect(await cleared).toMatchObject({
      change: { kind: "deleted", wasActive: true },
      active: null,
    });
  });

  test("readActiveRuleSet on the page", async () => {
    const { dbName, first } = await twoTabs();
    expect(await readActiveRuleSet(dbName)).toBeNull();
    await first.save(makeRuleSet("default"));
    await first.setActive("default");
    expect((await readActiveRuleSet(dbName))?.name).toBe("default");
  });
});
