/** The rule sets a page can use: the built-in default and those in the store. */
import { DEFAULT_RULE_SET, type RuleSet } from "../../../src/engine/index.js";
import { openRuleSetStore, type RuleSetStore } from "../../../src/store/index.js";

/** Select value of the built-in default rule set. */
export const BUILT_IN = "\u0000built-in";

export interface RuleSetChoice {
  value: string;
  label: string;
  active: boolean;
}

let storePromise: Promise<RuleSetStore> | undefined;

/** Opens the shared store once; rejects when IndexedDB is unavailable. */
export function sharedStore(): Promise<RuleSetStore> {
  storePromise ??= openRuleSetStore();
  return storePromise;
}

/**
 * Lists the built-in default first, then the stored rule sets. A store that
 * cannot open leaves only the default and rejects `storeError`.
 */
export async function listChoices(): Promise<{
  choices: RuleSetChoice[];
  storeError?: unknown;
}> {
  const builtIn = {
    value: BUILT_IN,
    label: `${DEFAULT_RULE_SET.name} (built-in)`,
    active: false,
  };
  try {
    const store = await sharedStore();
    const summaries = await store.list();
    const stored = summaries.map((summary) => ({
      value: summary.name,
      label: `${summary.name} v${summary.latestVersion}${summary.active ? " (active)" : ""}`,
      active: summary.active,
    }));
    return { choices: [builtIn, ...stored] };
  } catch (error) {
    return { choices: [builtIn], storeError: error };
  }
}

/** Loads the chosen rule set (the latest version of a stored one). */
export async function loadChoice(value: string): Promise<RuleSet> {
  if (value === BUILT_IN) return DEFAULT_RULE_SET;
  const store = await sharedStore();
  return (await store.load(value)).ruleSet;
}
