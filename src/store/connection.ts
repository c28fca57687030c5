/**
 * Opening the database: schema upgrades, a bounded wait when another tab
 * blocks an upgrade, and closing on `versionchange` so that an open store
 * does not block another tab's upgrade or deletion.
 */
import { openDB } from "idb";
import { StoreBlockedError, StoreError, StoreVersionError } from "./errors.js";
import {
  migrate,
  SCHEMA_VERSION,
  type RuleSetDB,
  type RuleSetDatabase,
} from "./schema.js";

/** Default wait for other connections to close before an upgrade gives up. */
export const DEFAULT_BLOCKED_TIMEOUT_MS = 5_000;

export interface OpenDatabaseOptions {
  /** Schema version to request; tests raise it to provoke an upgrade. */
  version?: number;
  blockedTimeoutMs?: number;
  /**
   * Called after this connection closed itself because another connection
   * requested an upgrade or a deletion, or because the browser terminated it.
   */
  onClose?: () => void;
}

/**
 * Opens (and if needed creates or upgrades) the rule-set database.
 *
 * Rejects with `StoreBlockedError` (retryable) when an upgrade stays blocked
 * by another connection for `blockedTimeoutMs`. The open request itself
 * cannot be cancelled, so a connection that arrives after the timeout is
 * closed at once.
 */
export function openRuleSetDatabase(
  dbName: string,
  options: OpenDatabaseOptions = {},
): Promise<RuleSetDatabase> {
  const version = options.version ?? SCHEMA_VERSION;
  const timeoutMs = options.blockedTimeoutMs ?? DEFAULT_BLOCKED_TIMEOUT_MS;

  return new Promise((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const rejectBlocked = (currentVersion: number): void => {
      if (settled) return;
      settled = true;
      reject(
        new StoreBlockedError(
          `could not open database "${dbName}": upgrading it from version ` +
            `${currentVersion} to ${version} is blocked by another tab or ` +
            `worker that keeps it open (waited ${timeoutMs} ms). Close or ` +
            "reload the other tabs of this app, then try again.",
          {
            code: "E_BLOCKED",
            retryable: true,
            details: { dbName, currentVersion, requestedVersion: version, timeoutMs },
          },
        ),
      );
    };

    const opening = openDB<RuleSetDB>(dbName, version, {
      upgrade: migrate,
      blocked(currentVersion) {
        timer ??= setTimeout(() => rejectBlocked(currentVersion), timeoutMs);
      },
      blocking(_currentVersion, _blockedVersion, event) {
        // Another connection wants to upgrade or delete the database.
        // Closing lets it proceed; the store reopens on its next call.
        (event.target as IDBDatabase).close();
        options.onClose?.();
      },
      terminated() {
        options.onClose?.();
      },
    });

    opening.then(
      (db) => {
        clearTimeout(timer);
        if (settled) {
          db.close();
          return;
        }
        settled = true;
        resolve(db);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (settled) return;
        settled = true;
        reject(toOpenError(error, dbName, version));
      },
    );
  });
}

function toOpenError(error: unknown, dbName: string, version: number): StoreError {
  const name = error instanceof Error || error instanceof DOMException ? error.name : "";
  if (name === "VersionError") {
    return new StoreVersionError(
      `could not open database "${dbName}" at schema version ${version}: ` +
        "a newer version of the app has upgraded it. Reload the page.",
      {
        code: "E_DB_VERSION",
        details: { dbName, requestedVersion: version },
        cause: error,
      },
    );
  }
  const detail = error instanceof Error ? `: ${error.message}` : "";
  return new StoreError(`could not open database "${dbName}"${detail}`, {
    code: "E_OPEN_FAILED",
    retryable: true,
    details: { dbName },
    cause: error,
  });
}
