/**
 * Validation, canonical text and content hash of a rule set. The store runs
 * these before it opens a transaction, because IndexedDB commits a
 * transaction once control returns to the event loop with no request
 * pending, and `crypto.subtle.digest` resolves in a later task.
 */
import { canonicalJson, parseRuleSet } from "../engine/schema/index.js";
import type { RuleSet } from "../engine/types.js";

/** A validated rule set with its canonical JSON text and SHA-256 hash. */
export interface PreparedRuleSet {
  ruleSet: RuleSet;
  /** Canonical JSON: sorted keys, two-space indent, trailing newline. */
  text: string;
  /** Lower-case hex SHA-256 of the UTF-8 bytes of `text`. */
  hash: string;
}

/** Returns the lower-case hex SHA-256 of the UTF-8 encoding of `text`. */
export async function sha256Hex(text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  let hex = "";
  for (const byte of new Uint8Array(digest)) {
    hex += byte.toString(16).padStart(2, "0");
  }
  return hex;
}

/**
 * Validates `input` strictly (throws the engine's `RuleSetError` with every
 * problem and its path) and computes its canonical text and hash.
 */
export async function prepareRuleSet(input: unknown): Promise<PreparedRuleSet> {
  const ruleSet = parseRuleSet(input);
  const text = canonicalJson(ruleSet);
  const hash = await sha256Hex(text);
  return { ruleSet, text, hash };
}
