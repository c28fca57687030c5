/**
 * The IndexedDB schema of the rule-set store and its migrations.
 *
 * A rule set is identified by a generated `id` that never changes, so a
 * rename rewrites one header instead of every stored version. Every save
 * adds a record to `versions`; nothing there is overwritten or deleted
 * except by `purge`.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from "idb";
import type { RuleSet } from "../engine/types.js";

/** Default database name. */
export const DEFAULT_DB_NAME = "switchyard";

/** Current schema version; each increase adds a step to `migrate`. */
export const SCHEMA_VERSION = 1;

/** Key of the settings record that names the active rule set. */
export const ACTIVE_SETTING = "active";

/** Operation that created a version. */
export type VersionOrigin =
  | { kind: "save" }
  | { kind: "import" }
  | { kind: "restore"; fromVersion: number }
  | { kind: "rename"; fromName: string };

/** One rule set, whatever its name over time. */
export interface RuleSetHeader {
  id: string;
  name: string;
  /**
   * Copy of `name` while the rule set is live, removed on soft deletion.
   * IndexedDB leaves records without the key path out of an index, so the
   * unique `liveName` index covers live rule sets only and a deleted rule set
   * does not keep its name reserved.
   */
  liveName?: string;
  latestVersion: number;
  /** SHA-256 (hex) of the canonical JSON of the latest version. */
  latestHash: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
  deletedAt?: number;
}

/** One saved version of a rule set. */
export interface RuleSetVersionRecord {
  id: string;
  /** 1 for the first save, then 2, 3, … */
  version: number;
  hash: string;
  savedAt: number;
  origin: VersionOrigin;
  ruleSet: RuleSet;
}

export interface ActiveSettingRecord {
  key: typeof ACTIVE_SETTING;
  ruleSetId: string;
}

export interface RuleSetDB extends DBSchema {
  rulesets: {
    key: string;
    value: RuleSetHeader;
    indexes: { liveName: string };
  };
  versions: {
    key: [string, number];
    value: RuleSetVersionRecord;
  };
  settings: {
    key: string;
    value: ActiveSettingRecord;
  };
}

export type RuleSetDatabase = IDBPDatabase<RuleSetDB>;
export type StoreName = StoreNames<RuleSetDB>;

/**
 * Brings a database from `oldVersion` to `SCHEMA_VERSION`. Runs inside the
 * upgrade transaction; each step starts where the previous one ended.
 */
export function migrate(
  db: RuleSetDatabase,
  oldVersion: number,
  _newVersion: number | null,
  _tx: IDBPTransaction<RuleSetDB, StoreName[], "versionchange">,
): void {
  if (oldVersion < 1) {
    const rulesets = db.createObjectStore("rulesets", { keyPath: "id" });
    rulesets.createIndex("liveName", "liveName", { unique: true });
    db.createObjectStore("versions", { keyPath: ["id", "version"] });
    db.createObjectStore("settings", { keyPath: "key" });
  }
}

/** Key range of the versions of one rule set up to `latest` (default: all). */
export function versionsOf(id: string, latest = Infinity): IDBKeyRange {
  return IDBKeyRange.bound([id, 0], [id, latest]);
}
