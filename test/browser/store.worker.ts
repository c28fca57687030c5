/**
 * Test worker playing the router worker: on each change notice that
 * concerns the active rule set, it reads the active rule set from IndexedDB
 * itself and reports what it found.
 */
import {
  listenForRuleSetChanges,
  readActiveRuleSet,
  type RuleSetChange,
} from "../../src/store/index.js";

export interface WorkerSetup {
  dbName: string;
  channelName: string;
}

export interface WorkerReport {
  change: RuleSetChange;
  active: { name: string; version: number; hash: string; ruleIds: string[] } | null;
}

function concernsActive(change: RuleSetChange): boolean {
  switch (change.kind) {
    case "active":
      return true;
    case "saved":
    case "renamed":
      return change.active;
    case "deleted":
      return change.wasActive;
    case "undeleted":
    case "purged":
      return false;
    default:
      return change satisfies never;
  }
}

self.onmessage = (event: MessageEvent<WorkerSetup>) => {
  const { dbName, channelName } = event.data;
  listenForRuleSetChanges((change) => {
    if (!concernsActive(change)) return;
    readActiveRuleSet(dbName).then(
      (active) => {
        const report: WorkerReport = {
          change,
          active:
            active === null
              ? null
              : {
                  name: active.name,
                  version: active.version,
                  hash: active.hash,
                  ruleIds: active.ruleSet.rules.map((rule) => rule.id),
                },
        };
        self.postMessage(report);
      },
      (error: unknown) => self.postMessage({ error: String(error) }),
    );
  }, channelName);
  self.postMessage("ready");
};
