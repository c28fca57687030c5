/** Turns any thrown value into a sentence a user can act on. */

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
}

const DOM_EXCEPTION_WORDS: Record<string, string> = {
  QuotaExceededError:
    "Storage is full: the browser refused to store more data for this site. " +
    "Free space by deleting old rule sets or exporting and removing them, then try again.",
  InvalidStateError:
    "The browser's database is closed or unavailable (private windows and some " +
    "settings block IndexedDB). Reload the page and try again.",
  VersionError:
    "The stored data was written by a newer version of switchyard. Reload the page " +
    "to use the newer version.",
  NotFoundError:
    "The stored item was not found; it may have been deleted in another tab.",
  AbortError: "The operation was cancelled before it finished.",
  TimeoutError: "The operation timed out.",
  NotReadableError:
    "The file could not be read. Check that it still exists and try again.",
  SecurityError: "The browser blocked the operation for security reasons.",
  UnknownError: "The browser's storage reported an unknown failure. Try again.",
};

/** Describes `error` in words: known browser failures get a plain explanation. */
export function describeError(error: unknown): string {
  if (typeof error === "string") return error;
  if (typeof error !== "object" || error === null)
    return `Unexpected failure: ${String(error)}`;

  const { name, message } = error as ErrorLike;
  const text = typeof message === "string" && message !== "" ? message : "";
  if (typeof name === "string" && name in DOM_EXCEPTION_WORDS) {
    const words = DOM_EXCEPTION_WORDS[name] ?? "";
    return text === "" ? words : `${words}\n(${name}: ${text})`;
  }
  if (text !== "") return text;
  return `Unexpected failure: ${typeof name === "string" ? name : String(error)}`;
}

/** Returns the `code` of a switchyard error, or undefined. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as ErrorLike).code;
  return typeof code === "string" ? code : undefined;
}
