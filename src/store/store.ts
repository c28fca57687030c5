/**
 * The rule-set store: every saved version kept in IndexedDB, soft deletion,
 * an active rule set, and change notices on a BroadcastChannel.
 *
 * Each operation is one transaction. Validation, canonical JSON and hashing
 * finish before the transaction opens. Inside it the code awaits only the
 * transaction's own requests, because IndexedDB commits a transaction once
 * control returns to the event loop with no request pending.
 */
import type { IDBPTransaction } from "idb";
import { prepareRuleSet, type PreparedRuleSet } from "./canonical.js";
import { openRuleSetDatabase } from "./connection.js";
import {
  RuleSetConflictError,
  RuleSetNotFoundError,
  StoreClosedError,
  StoreError,
  toWriteError,
} from "./errors.js";
import { importRuleSet, type ImportOptions, type RuleSetSource } from "./files.js";
import {
  CHANGE_SOURCE,
  DEFAULT_CHANNEL_NAME,
  isRuleSetChange,
  type RuleSetChange,
} from "./messages.js";
import {
  notFound,
  readActive,
  toStored,
  type DeletedRuleSetSummary,
  type RuleSetSummary,
  type StoredRuleSet,
  type VersionInfo,
} from "./records.js";
import {
  ACTIVE_SETTING,
  DEFAULT_DB_NAME,
  versionsOf,
  type RuleSetDatabase,
  type RuleSetDB,
  type RuleSetHeader,
  type RuleSetVersionRecord,
  type StoreName,
  type VersionOrigin,
} from "./schema.js";
import type { LintFinding } from "../engine/lint/index.js";
import type { RuleSet } from "../engine/types.js";

export interface OpenRuleSetStoreOptions {
  /** IndexedDB database name; default `switchyard`. */
  dbName?: string;
  /** BroadcastChannel name for change notices; default `switchyard-rulesets`. */
  channelName?: string;
  /**
   * Milliseconds to wait for other tabs to close the database before a
   * schema upgrade rejects with `StoreBlockedError`; default 5000.
   */
  blockedTimeoutMs?: number;
  /**
   * Checks run on every saved rule set (pass the engine's `lintRuleSet`);
   * their findings come back with the save result and never stop a save.
   */
  lint?: (ruleSet: RuleSet) => readonly LintFinding[];
}

export interface SaveOptions {
  /**
   * Saves only if the latest stored version is this one (0: only if no live
   * rule set has this name); otherwise rejects with `RuleSetConflictError`.
   */
  expectedVersion?: number;
}

/** The result of a save: the new version and the lint findings, if any. */
export interface SavedRuleSet extends StoredRuleSet {
  findings: readonly LintFinding[];
}

type WriteTx = IDBPTransaction<RuleSetDB, StoreName[], "readwrite">;
type ReadTx = IDBPTransaction<RuleSetDB, StoreName[], "readonly">;

const ALL_STORES: StoreName[] = ["rulesets", "versions", "settings"];

/** Attempts of an optimistic write (restore, rename) before a conflict is reported. */
const MAX_ATTEMPTS = 3;

/** Input of `#writeVersion`: one new version and its preconditions. */
interface VersionWrite {
  prepared: PreparedRuleSet;
  origin: VersionOrigin;
  /** Rule set by id and the version it must still be at; absent: look up by name. */
  expected?: { id: string; version: number; name: string };
  /** Latest version the caller expects, for a save by name. */
  expectedVersion?: number;
}

/**
 * Opens the rule-set store. Rejects with `StoreBlockedError` when a schema
 * upgrade stays blocked by another tab, and `StoreVersionError` when a newer
 * app version has upgraded the database.
 */
export async function openRuleSetStore(
  options: OpenRuleSetStoreOptions = {},
): Promise<RuleSetStore> {
  const store = new RuleSetStore(options);
  try {
    await store.ready();
  } catch (error) {
    store.close();
    throw error;
  }
  return store;
}

/**
 * Reads the latest version of the active rule set, or null when none is
 * active. Opens its own connection and closes it again, so a worker can call
 * it whenever a change notice arrives.
 */
export async function readActiveRuleSet(
  dbName: string = DEFAULT_DB_NAME,
  options: { blockedTimeoutMs?: number } = {},
): Promise<StoredRuleSet | null> {
  const db = await openRuleSetDatabase(dbName, options);
  try {
    return await readActive(db);
  } finally {
    db.close();
  }
}

export class RuleSetStore {
  readonly dbName: string;
  readonly channelName: string;
  readonly #blockedTimeoutMs: number | undefined;
  readonly #lint: OpenRuleSetStoreOptions["lint"];
  readonly #channel: BroadcastChannel;
  readonly #listeners = new Set<(change: RuleSetChange) => void>();
  #connection: Promise<RuleSetDatabase> | null = null;
  #closed = false;

  /** Prefer `openRuleSetStore`, which also opens the database. */
  constructor(options: OpenRuleSetStoreOptions = {}) {
    this.dbName = options.dbName ?? DEFAULT_DB_NAME;
    this.channelName = options.channelName ?? DEFAULT_CHANNEL_NAME;
    this.#blockedTimeoutMs = options.blockedTimeoutMs;
    this.#lint = options.lint;
    this.#channel = new BroadcastChannel(this.channelName);
    this.#channel.onmessage = (event: MessageEvent<unknown>) => {
      if (!isRuleSetChange(event.data) || event.data.dbName !== this.dbName) return;
      for (const listener of this.#listeners) listener(event.data);
    };
  }

  /** Opens the database connection if it is not open. */
  async ready(): Promise<void> {
    await this.#db();
  }

  /**
   * Validates `input` strictly and saves it as the next version of the rule
   * set named by its `name` (version 1 for a new name). Never overwrites a
   * stored version. Rejects with the engine's `RuleSetError` when the input
   * is invalid, and with `QuotaExceededError` when storage is full; in both
   * cases nothing is stored.
   */
  async save(input: unknown, options: SaveOptions = {}): Promise<SavedRuleSet> {
    const prepared = await prepareRuleSet(input);
    const findings = this.#lint?.(prepared.ruleSet) ?? [];
    const stored = await this.#writeVersion({
      prepared,
      origin: { kind: "save" },
      expectedVersion: options.expectedVersion,
    });
    return { ...stored, findings };
  }

  /**
   * Reads a rule-set file (see `importRuleSet`) and saves it. A file that is
   * too large or invalid is rejected before anything is written.
   */
  async importRuleSet(
    source: RuleSetSource,
    options: ImportOptions = {},
  ): Promise<SavedRuleSet> {
    const imported = await importRuleSet(source, options);
    const findings = this.#lint?.(imported.ruleSet) ?? [];
    const stored = await this.#writeVersion({
      prepared: imported,
      origin: { kind: "import" },
    });
    return { ...stored, findings };
  }

  /** Loads the latest version, or the given one, of a live rule set. */
  async load(name: string, version?: number): Promise<StoredRuleSet> {
    return this.#read(async (tx) => {
      const header = await tx.objectStore("rulesets").index("liveName").get(name);
      if (header === undefined) throw notFound(name);

      const wanted = version ?? header.latestVersion;
      const record = await tx.objectStore("versions").get([header.id, wanted]);
      if (record === undefined) throw notFound(name, wanted);
      return toStored(header, record);
    });
  }

  /** Lists live rule sets by name (UTF-16 code-unit order). */
  async list(): Promise<RuleSetSummary[]> {
    return this.#read(async (tx) => {
      const headers = await tx.objectStore("rulesets").getAll();
      const active = await tx.objectStore("settings").get(ACTIVE_SETTING);
      return headers
        .filter((header) => header.deletedAt === undefined)
        .sort(byName)
        .map((header) => ({
          name: header.name,
          latestVersion: header.latestVersion,
          hash: header.latestHash,
          createdAt: header.createdAt,
          updatedAt: header.updatedAt,
          active: header.id === active?.ruleSetId,
        }));
    });
  }

  /** Lists soft-deleted rule sets that `restoreDeleted` can bring back. */
  async listDeleted(): Promise<DeletedRuleSetSummary[]> {
    return this.#read(async (tx) => {
      const headers = await tx.objectStore("rulesets").getAll();
      const deleted: DeletedRuleSetSummary[] = [];
      for (const header of headers.sort(byName)) {
        if (header.deletedAt === undefined) continue;
        deleted.push({
          name: header.name,
          latestVersion: header.latestVersion,
          hash: header.latestHash,
          createdAt: header.createdAt,
          updatedAt: header.updatedAt,
          deletedAt: header.deletedAt,
        });
      }
      return deleted;
    });
  }

  /** Lists every stored version of a live rule set, oldest first. */
  async history(name: string): Promise<VersionInfo[]> {
    return this.#read(async (tx) => {
      const header = await tx.objectStore("rulesets").index("liveName").get(name);
      if (header === undefined) throw notFound(name);

      const records = await tx
        .objectStore("versions")
        .getAll(versionsOf(header.id, header.latestVersion));
      return records.map((record) => ({
        version: record.version,
        hash: record.hash,
        savedAt: record.savedAt,
        origin: record.origin,
      }));
    });
  }

  /**
   * Saves a copy of an older version as the new latest version. The copy
   * keeps the rule set's current name, so after a rename it differs from the
   * old version in `name` only.
   */
  async restore(name: string, version: number): Promise<StoredRuleSet> {
    return this.#retryOnConflict(async () => {
      const { header, record } = await this.#readVersion(name, version);
      const prepared = await prepareRuleSet({ ...record.ruleSet, name: header.name });
      return this.#writeVersion({
        prepared,
        origin: { kind: "restore", fromVersion: version },
        expected: { id: header.id, version: header.latestVersion, name },
      });
    });
  }

  /**
   * Renames a live rule set. The rename is saved as a new version whose
   * content has the new `name`; older versions keep the name they had.
   * Rejects with `RuleSetConflictError` (`E_NAME_TAKEN`) when a live rule set
   * already has the new name.
   */
  async rename(from: string, to: string): Promise<StoredRuleSet> {
    if (from === to) return this.load(from);
    return this.#retryOnConflict(async () => {
      const { header, record } = await this.#readVersion(from);
      const prepared = await prepareRuleSet({ ...record.ruleSet, name: to });
      return this.#writeVersion({
        prepared,
        origin: { kind: "rename", fromName: from },
        expected: { id: header.id, version: header.latestVersion, name: from },
      });
    });
  }

  /**
   * Soft-deletes a rule set: it leaves `list()` and frees its name, but its
   * versions stay stored until `purge`. Deleting the active rule set leaves
   * no rule set active.
   */
  async delete(name: string): Promise<void> {
    const now = Date.now();
    const wasActive = await this.#write(`delete rule set "${name}"`, async (tx) => {
      const headers = tx.objectStore("rulesets");
      const header = await headers.index("liveName").get(name);
      if (header === undefined) throw notFound(name);

      const deleted: RuleSetHeader = { ...header, deletedAt: now };
      delete deleted.liveName;
      await headers.put(deleted);

      const settings = tx.objectStore("settings");
      const active = await settings.get(ACTIVE_SETTING);
      if (active?.ruleSetId !== header.id) return false;
      await settings.delete(ACTIVE_SETTING);
      return true;
    });

    this.#notify({ kind: "deleted", name, wasActive });
    if (wasActive)
      this.#notify({ kind: "active", name: null, version: null, hash: null });
  }

  /**
   * Brings back the most recently deleted rule set of this name, with all
   * its versions. Rejects with `RuleSetConflictError` (`E_NAME_TAKEN`) when a
   * live rule set has the name meanwhile; rename that one first.
   */
  async restoreDeleted(name: string): Promise<StoredRuleSet> {
    const stored = await this.#write(`restore deleted rule set "${name}"`, async (tx) => {
      const headers = tx.objectStore("rulesets");
      const candidates = (await headers.getAll()).filter(
        (header) => header.name === name && header.deletedAt !== undefined,
      );
      const newest = candidates.sort(
        (a, b) => (b.deletedAt ?? 0) - (a.deletedAt ?? 0),
      )[0];
      if (newest === undefined) {
        throw new RuleSetNotFoundError(`no deleted rule set named "${name}" to restore`, {
          code: "E_NOT_FOUND",
          details: { name },
        });
      }
      if ((await headers.index("liveName").getKey(name)) !== undefined)
        throw nameTaken(name);

      const live: RuleSetHeader = { ...newest, liveName: name };
      delete live.deletedAt;
      await headers.put(live);

      const record = await tx.objectStore("versions").get([live.id, live.latestVersion]);
      if (record === undefined) throw notFound(name, live.latestVersion);
      return toStored(live, record);
    });

    this.#notify({ kind: "undeleted", name });
    return stored;
  }

  /**
   * Permanently removes soft-deleted rule sets and all their versions: those
   * named `name`, or every deleted one when `name` is omitted. Live rule sets
   * are never purged. Returns how many rule sets were removed.
   */
  async purge(name?: string): Promise<number> {
    const names = await this.#write(`purge deleted rule sets`, async (tx) => {
      const headers = tx.objectStore("rulesets");
      const versions = tx.objectStore("versions");
      const doomed = (await headers.getAll()).filter(
        (header) =>
          header.deletedAt !== undefined && (name === undefined || header.name === name),
      );
      if (name !== undefined && doomed.length === 0) throw notFound(name);

      for (const header of doomed) {
        await versions.delete(versionsOf(header.id));
        await headers.delete(header.id);
      }
      return doomed.map((header) => header.name);
    });

    if (names.length > 0) this.#notify({ kind: "purged", names });
    return names.length;
  }

  /** Makes a live rule set the active one, or clears it with `null`. */
  async setActive(name: string | null): Promise<void> {
    const change = await this.#write(`set the active rule set`, async (tx) => {
      const settings = tx.objectStore("settings");
      if (name === null) {
        await settings.delete(ACTIVE_SETTING);
        return { name: null, version: null, hash: null };
      }
      const header = await tx.objectStore("rulesets").index("liveName").get(name);
      if (header === undefined) throw notFound(name);

      await settings.put({ key: ACTIVE_SETTING, ruleSetId: header.id });
      return { name, version: header.latestVersion, hash: header.latestHash };
    });

    this.#notify({ kind: "active", ...change });
  }

  /** Loads the latest version of the active rule set, or null when none is active. */
  async getActive(): Promise<StoredRuleSet | null> {
    const db = await this.#db();
    return readActive(db);
  }

  /**
   * Calls `listener` for each change notice from other stores on the same
   * channel and database (other tabs, workers or connections). Changes made
   * through this store are not echoed back. Returns a function that stops
   * the calls.
   */
  subscribe(listener: (change: RuleSetChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Closes the connection and the channel; later calls reject with `StoreClosedError`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    this.#channel.close();
    const connection = this.#connection;
    this.#connection = null;
    connection?.then(
      (db) => db.close(),
      () => undefined,
    );
  }

  async #db(): Promise<RuleSetDatabase> {
    if (this.#closed) {
      throw new StoreClosedError(`the rule-set store for "${this.dbName}" is closed`, {
        code: "E_CLOSED",
      });
    }
    if (this.#connection === null) {
      const opening: Promise<RuleSetDatabase> = openRuleSetDatabase(this.dbName, {
        blockedTimeoutMs: this.#blockedTimeoutMs,
        onClose: () => {
          // The next call opens a new connection.
          if (this.#connection === opening) this.#connection = null;
        },
      });
      this.#connection = opening;
      opening.catch(() => {
        if (this.#connection === opening) this.#connection = null;
      });
    }
    return this.#connection;
  }

  async #read<T>(body: (tx: ReadTx) => Promise<T>): Promise<T> {
    const db = await this.#db();
    const tx = db.transaction(ALL_STORES, "readonly");
    const result = await body(tx);
    // Waiting for completion keeps reads from overlapping later work.
    await tx.done;
    return result;
  }

  /**
   * Runs `body` in one read-write transaction over every store and waits for
   * the commit. On any failure the transaction is aborted, so nothing `body`
   * wrote is kept, and the error is converted to a store error.
   */
  async #write<T>(action: string, body: (tx: WriteTx) => Promise<T>): Promise<T> {
    const db = await this.#db();
    let tx: WriteTx;
    try {
      tx = db.transaction(ALL_STORES, "readwrite");
    } catch (error) {
      throw toWriteError(error, action);
    }
    const done = tx.done;
    // Handled below; this only keeps an early rejection from being reported
    // as unhandled while `body` is still running.
    done.catch(() => undefined);

    try {
      const result = await body(tx);
      await done;
      return result;
    } catch (error) {
      abortQuietly(tx);
      await done.catch(() => undefined);
      throw toWriteError(
        error instanceof StoreError ? error : (tx.error ?? error),
        action,
      );
    }
  }

  async #writeVersion(write: VersionWrite): Promise<StoredRuleSet> {
    const { prepared, origin, expected } = write;
    const name = prepared.ruleSet.name;
    const newId = crypto.randomUUID();
    const now = Date.now();

    const result = await this.#write(`save rule set "${name}"`, async (tx) => {
      const headers = tx.objectStore("rulesets");
      const current =
        expected === undefined
          ? await headers.index("liveName").get(name)
          : await headers.get(expected.id);
      checkExpected(current, write);

      if (current !== undefined && current.name !== name) {
        const holder = await headers.index("liveName").getKey(name);
        if (holder !== undefined) throw nameTaken(name);
      }

      const header: RuleSetHeader =
        current === undefined
          ? {
              id: newId,
              name,
              liveName: name,
              latestVersion: 1,
              latestHash: prepared.hash,
              createdAt: now,
              updatedAt: now,
            }
          : {
              ...current,
              name,
              liveName: name,
              latestVersion: current.latestVersion + 1,
              latestHash: prepared.hash,
              updatedAt: now,
            };
      const record: RuleSetVersionRecord = {
        id: header.id,
        version: header.latestVersion,
        hash: prepared.hash,
        savedAt: now,
        origin,
        ruleSet: prepared.ruleSet,
      };
      // `add` fails on an existing key, so a stored version is never replaced.
      await tx.objectStore("versions").add(record);
      await headers.put(header);

      const active = await tx.objectStore("settings").get(ACTIVE_SETTING);
      return { header, record, active: active?.ruleSetId === header.id };
    });

    const { header, record, active } = result;
    if (origin.kind === "rename") {
      this.#notify({
        kind: "renamed",
        from: origin.fromName,
        to: header.name,
        version: record.version,
        hash: record.hash,
        active,
      });
    } else {
      this.#notify({
        kind: "saved",
        name: header.name,
        version: record.version,
        hash: record.hash,
        active,
      });
    }
    return toStored(header, record);
  }

  async #readVersion(
    name: string,
    version?: number,
  ): Promise<{ header: RuleSetHeader; record: RuleSetVersionRecord }> {
    return this.#read(async (tx) => {
      const header = await tx.objectStore("rulesets").index("liveName").get(name);
      if (header === undefined) throw notFound(name);

      const wanted = version ?? header.latestVersion;
      const record = await tx.objectStore("versions").get([header.id, wanted]);
      if (record === undefined) throw notFound(name, wanted);
      return { header, record };
    });
  }

  /** Repeats a read-then-write operation when another write came in between. */
  async #retryOnConflict<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        const raced =
          error instanceof RuleSetConflictError && error.code === "E_VERSION_CONFLICT";
        if (!raced || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  #notify(change: DistributiveOmit<RuleSetChange, "source" | "dbName">): void {
    if (this.#closed) return;
    const message = {
      ...change,
      source: CHANGE_SOURCE,
      dbName: this.dbName,
    } as RuleSetChange;
    this.#channel.postMessage(message);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function checkExpected(current: RuleSetHeader | undefined, write: VersionWrite): void {
  const name = write.prepared.ruleSet.name;
  const { expected, expectedVersion } = write;

  if (expected !== undefined) {
    const stillThere =
      current !== undefined &&
      current.deletedAt === undefined &&
      current.name === expected.name &&
      current.latestVersion === expected.version;
    if (!stillThere) {
      throw versionConflict(expected.name, expected.version, current?.latestVersion);
    }
  }
  if (expectedVersion !== undefined) {
    const latest = current?.latestVersion ?? 0;
    if (latest !== expectedVersion) throw versionConflict(name, expectedVersion, latest);
  }
}

function versionConflict(
  name: string,
  expected: number,
  found: number | undefined,
): RuleSetConflictError {
  return new RuleSetConflictError(
    `rule set "${name}" changed meanwhile: expected latest version ${expected}, ` +
      `found ${found ?? "none"}. Load it again and retry.`,
    { code: "E_VERSION_CONFLICT", retryable: true, details: { name, expected, found } },
  );
}

function nameTaken(name: string): RuleSetConflictError {
  return new RuleSetConflictError(
    `a rule set named "${name}" already exists; rename or delete it first`,
    { code: "E_NAME_TAKEN", details: { name } },
  );
}

function byName(a: RuleSetHeader, b: RuleSetHeader): number {
  if (a.name < b.name) return -1;
  if (a.name > b.name) return 1;
  return 0;
}

function abortQuietly(tx: WriteTx): void {
  try {
    tx.abort();
  } catch {
    // Already committed or aborted: nothing left to undo.
  }
}
