/**
 * Change notices that a store sends on a BroadcastChannel after each
 * committed write, so that other tabs and the router worker can reload what
 * they hold. One literal `kind` per shape; no logic besides the type guard
 * and a listener helper.
 */

/** Default BroadcastChannel name. */
export const DEFAULT_CHANNEL_NAME = "switchyard-rulesets";

/** Marks messages of this protocol on a channel that others may share. */
export const CHANGE_SOURCE = "switchyard-store";

interface ChangeBase {
  source: typeof CHANGE_SOURCE;
  /** Database the change was written to. */
  dbName: string;
}

/** A new version was saved (also by restoring an old one). */
export interface SavedChange extends ChangeBase {
  kind: "saved";
  name: string;
  version: number;
  hash: string;
  /** True when the rule set is the active one, so the router must reload. */
  active: boolean;
}

export interface RenamedChange extends ChangeBase {
  kind: "renamed";
  from: string;
  to: string;
  version: number;
  hash: string;
  active: boolean;
}

/** A soft deletion. When `wasActive` is true, no rule set is active any more. */
export interface DeletedChange extends ChangeBase {
  kind: "deleted";
  name: string;
  wasActive: boolean;
}

/** A soft-deleted rule set is live again. */
export interface UndeletedChange extends ChangeBase {
  kind: "undeleted";
  name: string;
}

export interface PurgedChange extends ChangeBase {
  kind: "purged";
  names: string[];
}

/** The active rule set changed; `name` is null when none is active. */
export interface ActiveChange extends ChangeBase {
  kind: "active";
  name: string | null;
  version: number | null;
  hash: string | null;
}

export type RuleSetChange =
  | SavedChange
  | RenamedChange
  | DeletedChange
  | UndeletedChange
  | PurgedChange
  | ActiveChange;

export type RuleSetChangeKind = RuleSetChange["kind"];

const KINDS: ReadonlySet<string> = new Set<RuleSetChangeKind>([
  "saved",
  "renamed",
  "deleted",
  "undeleted",
  "purged",
  "active",
]);

/** Checks that a message received on the channel is a change notice. */
export function isRuleSetChange(data: unknown): data is RuleSetChange {
  if (typeof data !== "object" || data === null) return false;
  const record = data as { source?: unknown; kind?: unknown };
  return (
    record.source === CHANGE_SOURCE &&
    typeof record.kind === "string" &&
    KINDS.has(record.kind)
  );
}

/**
 * Calls `listener` for every change notice that another store (another tab,
 * worker or connection) sends on the channel. Works on a page and in a
 * worker. Returns a function that stops listening and closes the channel.
 */
export function listenForRuleSetChanges(
  listener: (change: RuleSetChange) => void,
  channelName: string = DEFAULT_CHANNEL_NAME,
): () => void {
  const channel = new BroadcastChannel(channelName);
  channel.onmessage = (event: MessageEvent<unknown>) => {
    if (isRuleSetChange(event.data)) listener(event.data);
  };
  return () => channel.close();
}
