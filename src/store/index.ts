/**
 * Rule-set storage in IndexedDB and rule-set files. Runs on a page and in a
 * worker; `exportRuleSet` and `importRuleSet` of strings and Blobs also run
 * under Node.
 */
export { openRuleSetStore, readActiveRuleSet, RuleSetStore } from "./store.js";
export type { OpenRuleSetStoreOptions, SaveOptions, SavedRuleSet } from "./store.js";
export type {
  DeletedRuleSetSummary,
  RuleSetSummary,
  StoredRuleSet,
  VersionInfo,
} from "./records.js";
export type { VersionOrigin } from "./schema.js";
export { DEFAULT_DB_NAME, SCHEMA_VERSION } from "./schema.js";
export { DEFAULT_BLOCKED_TIMEOUT_MS } from "./connection.js";
export {
  DEFAULT_MAX_IMPORT_BYTES,
  exportRuleSet,
  fileNameFor,
  importRuleSet,
} from "./files.js";
export type {
  ExportedRuleSet,
  ImportedRuleSet,
  ImportOptions,
  RuleSetSource,
} from "./files.js";
export { sha256Hex } from "./canonical.js";
export {
  CHANGE_SOURCE,
  DEFAULT_CHANNEL_NAME,
  isRuleSetChange,
  listenForRuleSetChanges,
} from "./messages.js";
export type { RuleSetChange, RuleSetChangeKind } from "./messages.js";
export {
  QuotaExceededError,
  RuleSetConflictError,
  RuleSetImportError,
  RuleSetNotFoundError,
  StoreBlockedError,
  StoreClosedError,
  StoreError,
  StoreVersionError,
  StoreWriteError,
} from "./errors.js";
