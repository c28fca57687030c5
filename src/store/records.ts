/**
 * Result types of the store, and the reads shared by the store and
 * `readActiveRuleSet`.
 */
import type { IDBPTransaction } from "idb";
import { RuleSetNotFoundError } from "./errors.js";
import {
  ACTIVE_SETTING,
  type RuleSetDatabase,
  type RuleSetDB,
  type RuleSetHeader,
  type RuleSetVersionRecord,
  type VersionOrigin,
} from "./schema.js";
import type { RuleSet } from "../engine/types.js";

/** One stored version of a rule set, with the rule set's dates. */
export interface StoredRuleSet {
  name: string;
  version: number;
  /** Lower-case hex SHA-256 of the canonical JSON of `ruleSet`. */
  hash: string;
  /** When this version was saved, in milliseconds since the epoch. */
  savedAt: number;
  /** When version 1 was saved. */
  createdAt: number;
  /** When the latest version was saved. */
  updatedAt: number;
  ruleSet: RuleSet;
}

/** A line of `list()`. */
export interface RuleSetSummary {
  name: string;
  latestVersion: number;
  hash: string;
  createdAt: number;
  updatedAt: number;
  active: boolean;
}

/** A line of `listDeleted()`. */
export interface DeletedRuleSetSummary {
  name: string;
  latestVersion: number;
  hash: string;
  createdAt: number;
  updatedAt: number;
  deletedAt: number;
}

/** A line of `history()`. */
export interface VersionInfo {
  version: number;
  hash: string;
  savedAt: number;
  origin: VersionOrigin;
}

export function toStored(
  header: RuleSetHeader,
  record: RuleSetVersionRecord,
): StoredRuleSet {
  return {
    name: header.name,
    version: record.version,
    hash: record.hash,
    savedAt: record.savedAt,
    createdAt: header.createdAt,
    updatedAt: header.updatedAt,
    ruleSet: record.ruleSet,
  };
}

export function notFound(name: string, version?: number): RuleSetNotFoundError {
  const what =
    version === undefined
      ? `rule set "${name}"`
      : `version ${version} of rule set "${name}"`;
  return new RuleSetNotFoundError(`${what} not found`, {
    code: "E_NOT_FOUND",
    details: version === undefined ? { name } : { name, version },
  });
}

/** Reads the latest version of the active rule set, or null when none is active. */
export async function readActive(db: RuleSetDatabase): Promise<StoredRuleSet | null> {
  const tx = db.transaction(["settings", "rulesets", "versions"], "readonly");
  const stored = await readActiveIn(tx);
  await tx.done;
  return stored;
}

async function readActiveIn(
  tx: IDBPTransaction<RuleSetDB, ("settings" | "rulesets" | "versions")[], "readonly">,
): Promise<StoredRuleSet | null> {
  const setting = await tx.objectStore("settings").get(ACTIVE_SETTING);
  if (setting === undefined) return null;

  const header = await tx.objectStore("rulesets").get(setting.ruleSetId);
  if (header === undefined || header.deletedAt !== undefined) return null;

  const record = await tx.objectStore("versions").get([header.id, header.latestVersion]);
  if (record === undefined) return null;
  return toStored(header, record);
}
