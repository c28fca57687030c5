/**
 * Errors raised by the rule-set store and by file import. Each class has a
 * stable `code` and a `retryable` flag, so that a page or a worker can decide
 * what to do without parsing the message. Validation failures of the rule set
 * itself are not store errors: they surface as the engine's `RuleSetError`.
 */
import { SwitchyardError } from "../engine/errors.js";

export interface StoreErrorOptions {
  code: string;
  retryable?: boolean;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** Base class of every error raised by `src/store`. */
export class StoreError extends SwitchyardError {
  /** True when the same call may succeed if it is simply made again later. */
  readonly retryable: boolean;

  constructor(message: string, options: StoreErrorOptions) {
    super(message, {
      code: options.code,
      details: options.details,
      cause: options.cause,
    });
    this.retryable = options.retryable ?? false;
  }
}

/** No live rule set (or no such version of it) has the requested name. */
export class RuleSetNotFoundError extends StoreError {
  override readonly name = "RuleSetNotFoundError";
}

/**
 * The write conflicts with the stored state: the target name is taken
 * (`E_NAME_TAKEN`) or the latest version is not the one the caller expected
 * (`E_VERSION_CONFLICT`).
 */
export class RuleSetConflictError extends StoreError {
  override readonly name = "RuleSetConflictError";
}

/**
 * The browser refused the write because the origin's storage quota is used
 * up. The name matches the DOMException name that browsers use, so code
 * written against raw IndexedDB keeps working.
 */
export class QuotaExceededError extends StoreError {
  override readonly name = "QuotaExceededError";
}

/**
 * Opening the database needs a schema upgrade, and another tab or worker
 * keeps an older connection open. Retry after that tab closes or reloads.
 */
export class StoreBlockedError extends StoreError {
  override readonly name = "StoreBlockedError";
}

/** The database was upgraded by a newer version of the app; reload the page. */
export class StoreVersionError extends StoreError {
  override readonly name = "StoreVersionError";
}

/** The store was closed with `close()` and takes no more calls. */
export class StoreClosedError extends StoreError {
  override readonly name = "StoreClosedError";
}

/** The transaction failed or was aborted; nothing it wrote was kept. */
export class StoreWriteError extends StoreError {
  override readonly name = "StoreWriteError";
}

/**
 * A rule-set file could not be read: too large, not UTF-8, not JSON, from
 * another origin, or the fetch failed. Schema problems raise `RuleSetError`.
 */
export class RuleSetImportError extends StoreError {
  override readonly name = "RuleSetImportError";
}

function domExceptionName(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === "string" ? name : undefined;
}

/**
 * Converts a failure of an IndexedDB write into a store error. `action`
 * describes the write for the message, e.g. `save rule set "default"`.
 */
export function toWriteError(error: unknown, action: string): StoreError {
  if (error instanceof StoreError) return error;

  const name = domExceptionName(error);
  if (name === "QuotaExceededError") {
    return new QuotaExceededError(
      `storage is full: could not ${action}. Nothing was changed. ` +
        "Purge deleted rule sets or free browser storage for this site, then try again.",
      { code: "E_QUOTA", cause: error },
    );
  }
  if (name === "InvalidStateError" || name === "TransactionInactiveError") {
    return new StoreWriteError(
      `could not ${action}: the transaction had finished or the connection was ` +
        "closing. Nothing was changed; try again.",
      { code: "E_CONNECTION_CLOSED", retryable: true, cause: error },
    );
  }
  if (name === "AbortError") {
    return new StoreWriteError(
      `could not ${action}: the transaction was aborted. Nothing was changed.`,
      { code: "E_ABORTED", retryable: true, cause: error },
    );
  }
  const detail = error instanceof Error ? `: ${error.message}` : "";
  return new StoreWriteError(`could not ${action}${detail}. Nothing was changed.`, {
    code: "E_STORAGE",
    cause: error,
  });
}
