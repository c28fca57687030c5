/** Rule-set manager: list, edit with live checks, version history, import and export. */
import {
  canonicalJson,
  DEFAULT_RULE_SET,
  lintRuleSet,
  type SchemaProblem,
} from "../../../src/engine/index.js";
import {
  exportRuleSet,
  openRuleSetStore,
  type RuleSetStore,
  type RuleSetSummary,
} from "../../../src/store/index.js";
import { byId, downloadText, h } from "../lib/dom.js";
import { describeError } from "../lib/errors.js";
import { initShell, showError, showNotice } from "../lib/shell.js";
import { createJsonEditor } from "./editor.js";
import { renderDiff, renderHistory } from "./history.js";
import { findPath, locateJsonPaths } from "./json-locate.js";
import { diffLines } from "./line-diff.js";
import {
  checkRuleSetText,
  renderProblems,
  schemaProblem,
  type EditorProblem,
} from "./problems.js";

initShell();

/** The stored version open in the editor; undefined for an unsaved draft. */
interface OpenVersion {
  name: string;
  version: number;
}

const EDITOR_VALUE = "editor";
const CHECK_DELAY_MS = 200;

const list = byId("ruleset-list");
const nameInput = byId("ruleset-name", HTMLInputElement);
const editorState = byId("editor-state");
const problemList = byId("problems");
const historyList = byId("history", HTMLOListElement);
const diffFrom = byId("diff-from", HTMLSelectElement);
const diffTo = byId("diff-to", HTMLSelectElement);
const diffView = byId("diff");
const importResult = byId("import-result");
const dropZone = byId("drop-zone");
const fileInput = byId("import-file", HTMLInputElement);

let store: RuleSetStore | undefined;
let open: OpenVersion | undefined;
/** True while the built-in default is open unchanged from the list. */
let builtInOpen = false;
let baseline = "";
let checkTimer: ReturnType<typeof setTimeout> | undefined;

const editor = createJsonEditor(
  byId("ruleset-json", HTMLTextAreaElement),
  byId("line-numbers"),
  () => {
    updateState();
    clearTimeout(checkTimer);
    checkTimer = setTimeout(runChecks, CHECK_DELAY_MS);
  },
);

function runChecks(): EditorProblem[] {
  const { problems } = checkRuleSetText(editor.getText());
  renderProblems(problemList, problems, (problem) =>
    editor.goToLine(problem.line, problem.column),
  );
  editor.markLines(
    new Set(problems.filter((p) => p.severity === "error").map((p) => p.line)),
  );
  if (diffTo.value === EDITOR_VALUE) void showDiff();
  return problems;
}

function updateState(): void {
  const dirty = editor.getText() !== baseline;
  editorState.textContent =
    open !== undefined
      ? `${open.name} v${open.version}${dirty ? " · unsaved changes" : " · saved"}`
      : builtInOpen && !dirty
        ? "Built-in rule set: save a version to keep an editable copy"
        : "Unsaved draft";
}

function openText(text: string, version: OpenVersion | undefined, builtIn = false): void {
  open = version;
  builtInOpen = builtIn;
  baseline = version === undefined && !builtIn ? "" : text;
  editor.setText(text);
  nameInput.value = version?.name ?? (builtIn ? DEFAULT_RULE_SET.name : "");
  updateState();
  runChecks();
  renderList();
  void refreshHistory();
}

// --- Rule-set list -------------------------------------------------------

let summaries: RuleSetSummary[] = [];

async function refreshList(): Promise<void> {
  if (store === undefined) return;
  try {
    summaries = await store.list();
  } catch (error) {
    showError("Could not list the stored rule sets", error);
  }
  renderList();
}

function renderList(): void {
  const builtIn = listButton(
    `${DEFAULT_RULE_SET.name} (built-in)`,
    "read-only",
    builtInOpen,
    () => openText(canonicalJson(DEFAULT_RULE_SET), undefined, true),
  );
  const stored = summaries.map((summary) =>
    listButton(
      summary.name,
      `${summary.active ? "active · " : ""}v${summary.latestVersion}`,
      open?.name === summary.name,
      () => void openStored(summary.name),
    ),
  );
  list.replaceChildren(builtIn, ...stored);
}

function listButton(
  label: string,
  note: string,
  current: boolean,
  onClick: () => void,
): HTMLLIElement {
  const button = h(
    "button",
    { type: "button", "aria-current": current ? "true" : "false" },
    h("span", {}, label),
    h("span", { class: "muted" }, note),
  );
  button.addEventListener("click", onClick);
  return h("li", {}, button);
}

async function openStored(name: string, version?: number): Promise<void> {
  if (store === undefined) return;
  try {
    const stored = await store.load(name, version);
    openText(canonicalJson(stored.ruleSet), {
      name: stored.name,
      version: stored.version,
    });
  } catch (error) {
    showError(`Could not open rule set "${name}"`, error);
  }
}

// --- Actions --------------------------------------------------------------

function requireStore(): RuleSetStore | undefined {
  if (store === undefined) {
    showNotice(
      "error",
      "Rule-set storage is unavailable in this browser, so nothing can be saved.",
    );
  }
  return store;
}

async function save(): Promise<void> {
  const target = requireStore();
  if (target === undefined) return;
  const problems = runChecks();
  const errors = problems.filter((problem) => problem.severity === "error");
  if (errors.length > 0) {
    showNotice(
      "error",
      `Not saved: fix the ${errors.length} error(s) listed under Problems first.`,
    );
    editor.goToLine(errors[0]!.line, errors[0]!.column);
    return;
  }
  const json = JSON.parse(editor.getText()) as { name?: unknown };
  const sameName = open !== undefined && json.name === open.name;
  try {
    const saved = await target.save(json, {
      expectedVersion: sameName ? open!.version : 0,
    });
    openText(canonicalJson(saved.ruleSet), { name: saved.name, version: saved.version });
    showNotice("success", `Saved "${saved.name}" as version ${saved.version}.`);
    await refreshList();
  } catch (error) {
    showError("Not saved (the stored versions are unchanged)", error);
  }
}

async function rename(): Promise<void> {
  const target = requireStore();
  const to = nameInput.value.trim();
  if (target === undefined || open === undefined) {
    showNotice("error", "Save the rule set before renaming it.");
    return;
  }
  if (to === "" || to === open.name) return;
  try {
    const renamed = await target.rename(open.name, to);
    openText(canonicalJson(renamed.ruleSet), {
      name: renamed.name,
      version: renamed.version,
    });
    showNotice("success", `Renamed to "${renamed.name}".`);
    await refreshList();
  } catch (error) {
    showError(`Could not rename "${open.name}"`, error);
  }
}

async function activate(): Promise<void> {
  const target = requireStore();
  if (target === undefined || open === undefined) {
    showNotice("error", "Save the rule set before making it the active one.");
    return;
  }
  try {
    await target.setActive(open.name);
    showNotice("success", `"${open.name}" is now the active rule set.`);
    await refreshList();
  } catch (error) {
    showError("Could not set the active rule set", error);
  }
}

async function exportCurrent(): Promise<void> {
  const { ruleSet } = checkRuleSetText(editor.getText());
  if (ruleSet === undefined) {
    showNotice(
      "error",
      "Not exported: the editor text is not a valid rule set; see Problems.",
    );
    return;
  }
  try {
    const file = await exportRuleSet(ruleSet);
    downloadText(file.fileName, file.text);
  } catch (error) {
    showError("Could not export the rule set", error);
  }
}

async function remove(): Promise<void> {
  const target = requireStore();
  if (target === undefined || open === undefined) return;
  const name = open.name;
  try {
    await target.delete(name);
    openText(canonicalJson(DEFAULT_RULE_SET), undefined, true);
    await refreshList();
    const notice = showNotice("info", `Deleted "${name}".`);
    const undo = h("button", { type: "button" }, "Undo");
    undo.addEventListener("click", async () => {
      notice.remove();
      try {
        await target.restoreDeleted(name);
        await refreshList();
        await openStored(name);
      } catch (error) {
        showError(`Could not bring back "${name}"`, error);
      }
    });
    notice.insertBefore(undo, notice.lastChild);
  } catch (error) {
    showError(`Could not delete "${name}"`, error);
  }
}

function createDraft(): void {
  const taken = new Set(summaries.map((summary) => summary.name));
  let index = 1;
  while (taken.has(`new-rule-set-${index}`)) index++;
  const draft = { ...DEFAULT_RULE_SET, name: `new-rule-set-${index}`, description: "" };
  openText(canonicalJson(draft), undefined);
  editor.textarea.focus();
}

// --- History and diff ----------------------------------------------------

async function refreshHistory(): Promise<void> {
  if (store === undefined || open === undefined) {
    historyList.replaceChildren(
      h("li", { class: "note" }, "Only saved rule sets have a history."),
    );
    diffFrom.replaceChildren();
    diffTo.replaceChildren();
    diffFrom.disabled = true;
    diffTo.disabled = true;
    diffView.replaceChildren(
      h("p", { class: "muted" }, "Save a version to compare versions."),
    );
    return;
  }
  try {
    const versions = await store.history(open.name);
    renderHistory(historyList, versions, (version) => void restore(version));
    const numbers = versions.map((info) => info.version).sort((a, b) => b - a);
    const options = (selected: number | string): HTMLOptionElement[] =>
      numbers.map((n) =>
        h("option", { value: n, selected: String(n) === String(selected) }, `v${n}`),
      );
    diffFrom.disabled = false;
    diffTo.disabled = false;
    diffFrom.replaceChildren(...options(numbers[1] ?? numbers[0] ?? ""));
    diffTo.replaceChildren(
      h("option", { value: EDITOR_VALUE }, "editor (unsaved text)"),
      ...options(numbers[0] ?? ""),
    );
    await showDiff();
  } catch (error) {
    showError("Could not read the version history", error);
  }
}

async function versionText(value: string): Promise<string> {
  if (value === EDITOR_VALUE) return editor.getText();
  if (store === undefined || open === undefined) return "";
  const stored = await store.load(open.name, Number(value));
  return canonicalJson(stored.ruleSet);
}

async function showDiff(): Promise<void> {
  if (diffFrom.value === "" || diffTo.value === "") return;
  try {
    const [before, after] = await Promise.all([
      versionText(diffFrom.value),
      versionText(diffTo.value),
    ]);
    renderDiff(diffView, diffLines(before, after));
  } catch (error) {
    showError("Could not compare the versions", error);
  }
}

async function restore(version: number): Promise<void> {
  const target = requireStore();
  if (target === undefined || open === undefined) return;
  try {
    const restored = await target.restore(open.name, version);
    openText(canonicalJson(restored.ruleSet), {
      name: restored.name,
      version: restored.version,
    });
    showNotice("success", `Restored version ${version} as version ${restored.version}.`);
    await refreshList();
  } catch (error) {
    showError(`Could not restore version ${version}`, error);
  }
}

// --- Import --------------------------------------------------------------

async function importFile(file: File): Promise<void> {
  importResult.replaceChildren();
  const target = requireStore();
  if (target === undefined) return;
  try {
    const saved = await target.importRuleSet(file);
    showNotice(
      "success",
      `Imported "${file.name}" as "${saved.name}" version ${saved.version}.`,
    );
    await refreshList();
    await openStored(saved.name);
  } catch (error) {
    await showImportFailure(file, error);
  }
}

async function showImportFailure(file: File, error: unknown): Promise<void> {
  const problems = problemsOf(error);
  let text = "";
  try {
    text = await file.text();
  } catch {
    // An unreadable file has no lines to point at.
  }
  const positions = locateJsonPaths(text);
  const heading = h("h3", {}, `"${file.name}" was not imported`);
  const summary = h(
    "p",
    {},
    problems.length > 0
      ? `${problems.length === 1 ? "1 problem" : `${problems.length} problems`} found; nothing was stored.`
      : describeError(error),
  );
  const items = h("ul", { class: "problem-list" });
  const openInEditor = (line = 1, column = 1): void => {
    openText(text, undefined);
    editor.goToLine(line, column);
  };
  renderProblems(
    items,
    problems.map((problem) => schemaProblem(problem, findPath(positions, problem.path))),
    (problem) => openInEditor(problem.line, problem.column),
  );
  const openButton = h(
    "button",
    { type: "button" },
    "Open the file in the editor to fix it",
  );
  openButton.addEventListener("click", () => openInEditor());
  importResult.replaceChildren(
    h("div", { role: "alert" }, heading, summary, problems.length > 0 && items),
    openButton,
  );
}

function problemsOf(error: unknown): SchemaProblem[] {
  if (typeof error !== "object" || error === null) return [];
  const details = (error as { details?: { problems?: unknown } }).details;
  return Array.isArray(details?.problems) ? (details.problems as SchemaProblem[]) : [];
}

function setUpImport(): void {
  fileInput.addEventListener("change", () => {
    const file = fileInput.files?.[0];
    if (file !== undefined) void importFile(file);
    fileInput.value = "";
  });
  dropZone.addEventListener("dragover", (event) => {
    event.preventDefault();
    dropZone.classList.add("dragging");
  });
  dropZone.addEventListener("dragleave", () => dropZone.classList.remove("dragging"));
  dropZone.addEventListener("drop", (event) => {
    event.preventDefault();
    dropZone.classList.remove("dragging");
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) void importFile(file);
  });
}

// --- Start ---------------------------------------------------------------

function bind(id: string, action: () => unknown): void {
  byId(id).addEventListener("click", () => void action());
}

bind("save-ruleset", save);
bind("rename-ruleset", rename);
bind("activate-ruleset", activate);
bind("export-ruleset", exportCurrent);
bind("delete-ruleset", remove);
bind("new-ruleset", createDraft);
diffFrom.addEventListener("change", () => void showDiff());
diffTo.addEventListener("change", () => void showDiff());
setUpImport();

async function start(): Promise<void> {
  try {
    store = await openRuleSetStore({ lint: lintRuleSet });
    store.subscribe(() => void refreshList());
  } catch (error) {
    showError("Rule-set storage is unavailable; you can still edit and export", error);
  }
  await refreshList();
  const active = summaries.find((summary) => summary.active) ?? summaries[0];
  if (active !== undefined) await openStored(active.name);
  else openText(canonicalJson(DEFAULT_RULE_SET), undefined, true);
}

void start();
