import { openDB } from "idb";
import { afterEach, describe, expect, test, vi } from "vitest";
import {
  QuotaExceededError,
  StoreWriteError,
  type RuleSetStore,
} from "../../src/store/index.js";
import type { RuleSetDB } from "../../src/store/schema.js";
import {
  makeRuleSet,
  openTestStore,
  tiedRuleSet,
  uniqueDbName,
} from "./store-harness.js";

afterEach(() => {
  vi.restoreAllMocks();
});

/** Saves versions 1 to 3 of `default`, the last one routing to agent B. */
async function storeWithThreeVersions(dbName = uniqueDbName()): Promise<RuleSetStore> {
  const store = await openTestStore({ dbName });
  await store.save(makeRuleSet("default", "A"));
  await store.save(makeRuleSet("default", "A"));
  await store.save(makeRuleSet("default", "B"));
  return store;
}

async function expectStillAtVersionThree(store: RuleSetStore): Promise<void> {
  const latest = await store.load("default");
  expect(latest.version).toBe(3);
  expect(latest.ruleSet.rules[0]?.agent).toBe("B");
  expect((await store.history("default")).map((entry) => entry.version)).toEqual([
    1, 2, 3,
  ]);
  expect((await store.list())[0]?.latestVersion).toBe(3);
}

/** Makes the header write of the next save fail by calling `fail` on its store. */
function failHeaderPut(fail: (objectStore: IDBObjectStore) => void): void {
  const originalPut = IDBObjectStore.prototype.put;
  vi.spyOn(IDBObjectStore.prototype, "put").mockImplementation(function (
    this: IDBObjectStore,
    ...args: Parameters<IDBObjectStore["put"]>
  ) {
    if (this.name === "rulesets") {
      const request = originalPut.apply(this, args);
      fail(this);
      return request;
    }
    return originalPut.apply(this, args);
  });
}

describe("atomic writes", () => {
  test("aborted save keeps every version", async () => {
    const store = await storeWithThreeVersions();
    // The version record is already added in this transaction when the
    // header write aborts it, so a partial write would leave version 4.
    failHeaderPut((objectStore) => objectStore.transaction.abort());

    const error = await store
      .save(makeRuleSet("default", "A"))
      .catch((caught: unknown) => caught);
    vi.restoreAllMocks();

    expect(error).toBeInstanceOf(StoreWriteError);
    expect((error as StoreWriteError).code).toBe("E_ABORTED");
    await expectStillAtVersionThree(store);
    expect((await store.save(makeRuleSet("default", "A"))).version).toBe(4);
  });

  test("constraint failure rolls back the save", async () => {
    const dbName = uniqueDbName();
    const store = await storeWithThreeVersions(dbName);

    // Occupy the key of version 4 through a second connection, so the
    // store's `add` of version 4 fails inside IndexedDB itself.
    const raw = await openDB<RuleSetDB>(dbName);
    const header = await raw.getFromIndex("rulesets", "liveName", "default");
    const record = await raw.get("versions", [header!.id, 3]);
    await raw.put("versions", { ...record!, version: 4 });
    raw.close();

    const error = await store
      .save(makeRuleSet("default", "A"))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreWriteError);
    expect((error as StoreWriteError).cause).toMatchObject({ name: "ConstraintError" });
    await expectStillAtVersionThree(store);
  });

  test("quota error keeps version 3", async () => {
    const store = await storeWithThreeVersions();
    // NOTE: a real quota error cannot be caused on demand, so the put throws
    // the DOMException that browsers raise when the origin is out of space.
    failHeaderPut(() => {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    });

    const error = await store
      .save(makeRuleSet("default", "A"))
      .catch((caught: unknown) => caught);
    vi.restoreAllMocks();

    expect(error).toBeInstanceOf(QuotaExceededError);
    expect((error as Error).name).toBe("QuotaExceededError");
    expect((error as Error).message).toMatch(/^storage is full/);
    expect((error as Error).message).toContain('"default"');
    expect((error as QuotaExceededError).code).toBe("E_QUOTA");
    await expectStillAtVersionThree(store);
  });

  test("quota error on commit is mapped too", async () => {
    const store = await storeWithThreeVersions();
    const originalAdd = IDBObjectStore.prototype.add;
    vi.spyOn(IDBObjectStore.prototype, "add").mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore["add"]>
    ) {
      originalAdd.apply(this, args);
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    });

    const error = await store
      .save(makeRuleSet("default", "A"))
      .catch((caught: unknown) => caught);
    vi.restoreAllMocks();

    expect((error as Error).name).toBe("QuotaExceededError");
    await expectStillAtVersionThree(store);
  });

  test("failed rename changes nothing", async () => {
    const store = await storeWithThreeVersions();
    failHeaderPut((objectStore) => objectStore.transaction.abort());

    await expect(store.rename("default", "other")).rejects.toBeInstanceOf(
      StoreWriteError,
    );
    vi.restoreAllMocks();

    await expectStillAtVersionThree(store);
    expect((await store.list()).map((entry) => entry.name)).toEqual(["default"]);
  });
});

/**
 * Records every transaction's lifetime and every SHA-256 digest. A digest
 * made while a transaction of the store is still open means the store could
 * wait on crypto inside a transaction, which Safari punishes with an abort.
 */
function watchTransactionsAndDigests(): {
  events: string[];
  digestsInsideTransactions: number;
} {
  const log = { events: [] as string[], digestsInsideTransactions: 0 };
  let openTransactions = 0;

  const originalTransaction = IDBDatabase.prototype.transaction;
  vi.spyOn(IDBDatabase.prototype, "transaction").mockImplementation(function (
    this: IDBDatabase,
    ...args: Parameters<IDBDatabase["transaction"]>
  ) {
    const tx = originalTransaction.apply(this, args);
    openTransactions += 1;
    log.events.push(`begin ${tx.mode}`);
    const end = (): void => {
      openTransactions -= 1;
      log.events.push(`end ${tx.mode}`);
    };
    tx.addEventListener("complete", end);
    tx.addEventListener("abort", end);
    return tx;
  });

  const originalDigest = crypto.subtle.digest.bind(crypto.subtle);
  vi.spyOn(crypto.subtle, "digest").mockImplementation(async (algorithm, data) => {
    log.events.push("digest");
    if (openTransactions > 0) log.digestsInsideTransactions += 1;
    // A slow digest: a transaction that waited on it would have committed
    // meanwhile, and its next request would throw TransactionInactiveError.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return originalDigest(algorithm, data);
  });

  return log;
}

describe("transactions never wait on other work", () => {
  test("waiting inside a transaction does fail", async () => {
    // Control: shows that the slow digest above would break a transaction
    // that awaited it, so the next test can fail.
    const db = await openDB(uniqueDbName(), 1, {
      upgrade: (database) => database.createObjectStore("items"),
    });
    const tx = db.transaction("items", "readwrite");
    await tx.store.put(1, "a");
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(() => tx.store.put(2, "b")).toThrow(
      /TransactionInactiveError|not active|finished/,
    );
    db.close();
  });

  test("every digest happens outside transactions", async () => {
    const store = await openTestStore();
    const log = watchTransactionsAndDigests();

    await store.save(makeRuleSet("default"));
    await store.save(tiedRuleSet("default"));
    await store.restore("default", 1);
    await store.rename("default", "renamed");
    await store.importRuleSet(JSON.stringify(makeRuleSet("imported")));
    await store.setActive("renamed");
    expect((await store.getActive())?.version).toBe(4);

    expect(log.events.filter((event) => event === "digest").length).toBe(5);
    expect(log.events.filter((event) => event === "begin readwrite").length).toBe(6);
    expect(log.digestsInsideTransactions).toBe(0);
  });

  test("save hashes before its transaction begins", async () => {
    const store = await openTestStore();
    const log = watchTransactionsAndDigests();

    await store.save(makeRuleSet("default"));
    expect(log.events).toEqual(["digest", "begin readwrite", "end readwrite"]);
  });
});
