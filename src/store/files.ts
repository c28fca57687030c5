/**
 * Rule-set files: reading one from a File, Blob, string or same-origin URL
 * with a size limit checked before parsing, and writing one as canonical JSON
 * so that the same content always gives the same bytes and hash.
 */
import { prepareRuleSet } from "./canonical.js";
import { RuleSetImportError } from "./errors.js";
import { LIMITS, overLimit } from "../engine/limits.js";
import type { RuleSet } from "../engine/types.js";

/** Default maximum size of a rule-set file in bytes (`LIMITS.maxRuleSetFileBytes`). */
export const DEFAULT_MAX_IMPORT_BYTES = LIMITS.maxRuleSetFileBytes.value;

/** Source of a rule-set file. A string is the JSON text itself, not a path or URL. */
export type RuleSetSource = File | Blob | string | URL;

export interface ImportOptions {
  /** Maximum file size in bytes (UTF-8); larger files are rejected unread. */
  maxBytes?: number;
  /** Cancels a fetch of a URL source. */
  signal?: AbortSignal;
}

/** A rule set read from a file, validated, with its canonical form. */
export interface ImportedRuleSet {
  ruleSet: RuleSet;
  /** Canonical JSON of `ruleSet`; may differ from the file's own bytes. */
  text: string;
  hash: string;
  /** Size of the source in bytes. */
  bytes: number;
}

/** A rule set written as a file. */
export interface ExportedRuleSet {
  /** Canonical JSON: sorted keys, two-space indent, trailing newline. */
  text: string;
  /** `text` as `application/json`, ready for a download link. */
  blob: Blob;
  /** Lower-case hex SHA-256 of `text`; equals the hash the store records. */
  hash: string;
  /** A file name derived from the rule set's name, e.g. `my-rules.ruleset.json`. */
  fileName: string;
}

/**
 * Reads, size-checks, parses and validates a rule-set file. Writes nothing.
 *
 * Rejects with `RuleSetImportError` when the source is too large (the check
 * runs before any parsing, and for a URL before the body is read), is not
 * UTF-8 or JSON, or is a URL of another origin (rejected before fetching).
 * Rejects with the engine's `RuleSetError` when the JSON is not a valid rule
 * set; its `details.problems` lists each problem with its path.
 */
export async function importRuleSet(
  source: RuleSetSource,
  options: ImportOptions = {},
): Promise<ImportedRuleSet> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IMPORT_BYTES;
  const { text, bytes } = await readSource(source, maxBytes, options.signal);
  const json = parseJson(text);
  const prepared = await prepareRuleSet(json);
  return { ...prepared, bytes };
}

/** Writes a rule set as a canonical JSON file after validating it. */
export async function exportRuleSet(ruleSet: unknown): Promise<ExportedRuleSet> {
  const prepared = await prepareRuleSet(ruleSet);
  return {
    text: prepared.text,
    blob: new Blob([prepared.text], { type: "application/json" }),
    hash: prepared.hash,
    fileName: fileNameFor(prepared.ruleSet.name),
  };
}

/** Derives a portable file name: letters, digits, `.`, `_` and `-` only. */
export function fileNameFor(ruleSetName: string): string {
  const stem = ruleSetName
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}._-]+/gu, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 100);
  return `${stem === "" ? "ruleset" : stem}.ruleset.json`;
}

async function readSource(
  source: RuleSetSource,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<{ text: string; bytes: number }> {
  if (typeof source === "string") {
    const encoded = new TextEncoder().encode(source);
    checkSize(encoded.byteLength, maxBytes, "string");
    return { text: source, bytes: encoded.byteLength };
  }
  if (source instanceof URL) {
    return fetchSource(source, maxBytes, signal);
  }
  const label = source instanceof File ? `file "${source.name}"` : "blob";
  checkSize(source.size, maxBytes, label);
  const buffer = await source.arrayBuffer();
  return { text: decodeUtf8(new Uint8Array(buffer), label), bytes: source.size };
}

function checkSize(
  bytes: number,
  maxBytes: number,
  label: string,
  partial = false,
): void {
  if (bytes > maxBytes) {
    const size = partial ? `at least ${bytes} bytes` : `${bytes} bytes`;
    const limit =
      maxBytes === DEFAULT_MAX_IMPORT_BYTES
        ? overLimit("maxRuleSetFileBytes")
        : `the limit is ${maxBytes} bytes (the maxBytes option)`;
    throw new RuleSetImportError(
      `rule-set ${label} is too large: ${size}, ${limit}. ` +
        "Split the rule set or raise the maxBytes option.",
      { code: "E_IMPORT_TOO_LARGE", details: { bytes, maxBytes } },
    );
  }
}

function decodeUtf8(bytes: Uint8Array, label: string): string {
  try {
    // The decoder drops a leading byte order mark.
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new RuleSetImportError(`rule-set ${label} is not valid UTF-8 text`, {
      code: "E_IMPORT_ENCODING",
      cause: error,
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new RuleSetImportError(`rule-set file is not valid JSON: ${detail}`, {
      code: "E_IMPORT_JSON",
      cause: error,
    });
  }
}

function currentOrigin(): string | undefined {
  const location = (globalThis as { location?: { origin?: unknown } }).location;
  return typeof location?.origin === "string" ? location.origin : undefined;
}

async function fetchSource(
  url: URL,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<{ text: string; bytes: number }> {
  const origin = currentOrigin();
  if (origin === undefined || origin === "null" || url.origin !== origin) {
    throw new RuleSetImportError(
      `rule-set URL ${url.href} is not same-origin (this page is ` +
        `${origin ?? "not served from an origin"}); only same-origin URLs are ` +
        "fetched. Download the file and import it as a File instead.",
      { code: "E_IMPORT_ORIGIN", details: { url: url.href, origin } },
    );
  }

  let response: Response;
  try {
    // "same-origin" mode also rejects a redirect to another origin.
    response = await fetch(url, {
      mode: "same-origin",
      credentials: "same-origin",
      signal,
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new RuleSetImportError(`could not fetch rule set from ${url.href}: ${detail}`, {
      code: "E_IMPORT_FETCH",
      retryable: true,
      cause: error,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new RuleSetImportError(
      `could not fetch rule set from ${url.href}: HTTP ${response.status} ${response.statusText}`,
      { code: "E_IMPORT_FETCH", details: { status: response.status } },
    );
  }

  const label = `at ${url.href}`;
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > 0) {
    try {
      checkSize(declared, maxBytes, label);
    } catch (error) {
      await response.body?.cancel();
      throw error;
    }
  }
  const bytes = await readLimited(response, maxBytes, label);
  return { text: decodeUtf8(bytes, label), bytes: bytes.byteLength };
}

/** Reads a response body, stopping as soon as it exceeds `maxBytes`. */
async function readLimited(
  response: Response,
  maxBytes: number,
  label: string,
): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      checkSize(total, maxBytes, label, true);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
