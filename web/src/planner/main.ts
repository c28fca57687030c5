/** Planner page: plan a goal or load a plan, route it in the worker, draw and validate it. */
import {
  canonicalJson,
  importPlan,
  type Plan,
  type RouteResult,
  type RuleSet,
  type ValidationResult,
} from "../../../src/engine/index.js";
import { byId, downloadText, formatCount, h, nextFrame } from "../lib/dom.js";
import { describeError } from "../lib/errors.js";
import { BUILT_IN, listChoices, loadChoice } from "../lib/rulesets.js";
import { clearNotices, initShell, showError, showNotice } from "../lib/shell.js";
import { agentColors } from "./colors.js";
import {
  FULL_VIEW_LIMIT,
  LIMITED_VIEW_SIZE,
  renderDag,
  type DagView,
  type TaskOutcome,
} from "./dag-view.js";
import { renderTaskDetails, renderTrace } from "./details.js";
import { planGoal, routePlan, routerEngine, traceTask } from "./engine.js";
import { generateLargePlan } from "./large-plan.js";
import { renderReport } from "./report.js";
import { validateInWorker } from "./validation.js";

initShell();

const form = byId("plan-form", HTMLFormElement);
const goalInput = byId("goal", HTMLTextAreaElement);
const ruleSetSelect = byId("ruleset-select", HTMLSelectElement);
const planFile = byId("plan-file", HTMLInputElement);
const largeSize = byId("large-size", HTMLInputElement);
const progressBlock = byId("progress-block");
const progressLabel = byId("progress-label");
const dagContainer = byId("dag");
const dagCaption = byId("dag-caption");
const dagSummary = byId("dag-summary");
const legend = byId("legend");
const detailsPanel = byId("task-details");
const reportPanel = byId("report");
const runButtons = [
  byId("run-goal", HTMLButtonElement),
  byId("run-large", HTMLButtonElement),
  planFile,
];
const exportPlan = byId("export-plan", HTMLButtonElement);
const exportRoute = byId("export-route", HTMLButtonElement);
const exportValidation = byId("export-validation", HTMLButtonElement);

interface Session {
  plan: Plan;
  ruleSet: RuleSet;
  route?: RouteResult;
  validation?: ValidationResult;
  view?: DagView;
}

let session: Session | undefined;
let currentRun: AbortController | undefined;

// --- Progress -------------------------------------------------------------

let stageStarted = 0;
let stageText = "";
let ticker: ReturnType<typeof setInterval> | undefined;

function showStage(text: string): void {
  stageText = text;
  stageStarted = performance.now();
  progressBlock.hidden = false;
  renderStage();
  ticker ??= setInterval(renderStage, 100);
}

function renderStage(): void {
  const seconds = (performance.now() - stageStarted) / 1000;
  progressLabel.textContent = `${stageText} ${seconds.toFixed(1)} s`;
}

function endStages(): void {
  clearInterval(ticker);
  ticker = undefined;
  progressBlock.hidden = true;
  for (const control of runButtons) control.disabled = false;
}

// --- Runs -----------------------------------------------------------------

/** Runs one plan through routing, drawing and validation; a new run cancels the last. */
async function run(makePlan: (ruleSet: RuleSet) => Promise<Plan> | Plan): Promise<void> {
  currentRun?.abort();
  const controller = new AbortController();
  currentRun = controller;
  const { signal } = controller;
  clearNotices();
  for (const control of runButtons) control.disabled = true;
  setExports(false);

  try {
    showStage("Loading the rule set…");
    const ruleSet = await loadChoice(ruleSetSelect.value);
    showStage("Planning…");
    await nextFrame();
    const plan = await makePlan(ruleSet);
    if (signal.aborted) return;
    session = { plan, ruleSet };
    exportPlan.disabled = false;

    showStage(`Routing ${formatCount(plan.tasks.length)} tasks in the worker…`);
    const route = await routePlan(plan, ruleSet, signal);
    if (signal.aborted) return;
    session.route = route;
    exportRoute.disabled = false;

    showStage("Drawing the graph…");
    await nextFrame();
    drawSession(session);

    showStage("Validating…");
    const validation = await validateInWorker(plan, route, ruleSet, signal);
    if (signal.aborted) return;
    session.validation = validation;
    renderReport(reportPanel, validation);
    exportValidation.disabled = false;
    void routerEngine().then((engine) => {
      byId("app-status").dataset.engine = engine;
    });
  } catch (error) {
    if (!signal.aborted) showError("The run failed", error);
  } finally {
    if (currentRun === controller) {
      currentRun = undefined;
      endStages();
    }
  }
}

function setExports(enabled: boolean): void {
  exportPlan.disabled = !enabled;
  exportRoute.disabled = !enabled;
  exportValidation.disabled = !enabled;
}

// --- Drawing --------------------------------------------------------------

function drawSession(current: Session): void {
  const { plan, ruleSet, route } = current;
  const outcomes = new Map<string, TaskOutcome>();
  const counts = new Map<string, number>();
  for (const assignment of route?.assignments ?? []) {
    outcomes.set(assignment.task, { kind: "assigned", agent: assignment.agent });
    counts.set(assignment.agent, (counts.get(assignment.agent) ?? 0) + 1);
  }
  for (const entry of route?.unassigned ?? [])
    outcomes.set(entry.task, { kind: "unassigned" });
  for (const id of route?.skipped ?? []) outcomes.set(id, { kind: "skipped" });

  const colors = agentColors(ruleSet.agents.map((agent) => agent.id));
  renderLegend(colors, counts, route);
  const order = route?.order ?? plan.tasks.map((task) => task.id);
  current.view = renderDag(
    dagContainer,
    { tasks: plan.tasks, order, outcomes, colors },
    (id) => {
      void showTask(id);
    },
  );

  const total = plan.tasks.length;
  const limited = total > FULL_VIEW_LIMIT;
  dagCaption.textContent = limited
    ? `Showing ${formatCount(LIMITED_VIEW_SIZE)} of ${formatCount(total)} tasks: the last one in ` +
      "routing order and the tasks it depends on."
    : `${formatCount(total)} tasks. Select a task, or use Tab and the arrow keys.`;
  dagSummary.hidden = !limited;
  if (limited) renderSummary(total, route, counts);
  detailsPanel.replaceChildren(
    h(
      "p",
      { class: "empty" },
      "Select a task in the graph to see why it went to its agent.",
    ),
  );
}

function renderLegend(
  colors: ReadonlyMap<string, string>,
  counts: ReadonlyMap<string, number>,
  route: RouteResult | undefined,
): void {
  const items = [...colors]
    .filter(([agent]) => (counts.get(agent) ?? 0) > 0)
    .map(([agent, color]) =>
      legendItem(color, `${agent} (${formatCount(counts.get(agent) ?? 0)})`),
    );
  if ((route?.unassigned.length ?? 0) > 0) {
    items.push(
      legendItem(
        "#ffffff",
        `unassigned (${formatCount(route!.unassigned.length)})`,
        "dashed",
      ),
    );
  }
  if ((route?.skipped.length ?? 0) > 0) {
    items.push(legendItem("#e4e7ec", `skipped (${formatCount(route!.skipped.length)})`));
  }
  legend.replaceChildren(...items);
}

function legendItem(color: string, label: string, style?: string): HTMLLIElement {
  const swatch = h("span", {
    class: `swatch${style === undefined ? "" : ` ${style}`}`,
    "aria-hidden": "true",
  });
  swatch.style.background = color;
  return h("li", {}, swatch, label);
}

function renderSummary(
  total: number,
  route: RouteResult | undefined,
  counts: ReadonlyMap<string, number>,
): void {
  const rows = [...counts].sort((a, b) => b[1] - a[1]);
  dagSummary.replaceChildren(
    h(
      "p",
      {},
      `This plan has ${formatCount(total)} tasks: `,
      `${formatCount(route?.assignments.length ?? 0)} assigned, `,
      `${formatCount(route?.unassigned.length ?? 0)} unassigned, `,
      `${formatCount(route?.skipped.length ?? 0)} skipped. `,
      "Drawing all of them would freeze the page, so the graph below is cut.",
    ),
    h(
      "table",
      { "aria-label": "Tasks per agent" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", {}, "Agent"),
          h("th", { class: "num" }, "Tasks"),
          h("th", { class: "num" }, "Share"),
        ),
      ),
      h(
        "tbody",
        {},
        ...rows.map(([agent, count]) =>
          h(
            "tr",
            {},
            h("td", {}, agent),
            h("td", { class: "num" }, formatCount(count)),
            h(
              "td",
              { class: "num" },
              `${((100 * count) / Math.max(1, total)).toFixed(1)} %`,
            ),
          ),
        ),
      ),
    ),
  );
}

async function showTask(taskId: string): Promise<void> {
  const current = session;
  if (current === undefined) return;
  const task = current.plan.tasks.find((candidate) => candidate.id === taskId);
  if (task === undefined) return;
  const slot = renderTaskDetails(detailsPanel, {
    task,
    assignment: current.route?.assignments.find((entry) => entry.task === taskId),
    unassigned: current.route?.unassigned.find((entry) => entry.task === taskId),
    skipped: current.route?.skipped.includes(taskId) ?? false,
  });
  try {
    const trace = await traceTask(current.plan, current.ruleSet, taskId);
    if (session === current) renderTrace(slot, trace);
  } catch (error) {
    slot.replaceChildren(
      h("p", { class: "outcome-failed" }, `The trace failed: ${describeError(error)}`),
    );
  }
}

// --- Inputs ---------------------------------------------------------------

async function refreshRuleSets(): Promise<void> {
  const { choices, storeError } = await listChoices();
  const previous = ruleSetSelect.value;
  const preferred =
    choices.find((choice) => choice.value === previous) ??
    choices.find((choice) => choice.active);
  ruleSetSelect.replaceChildren(
    ...choices.map((choice) =>
      h(
        "option",
        {
          value: choice.value,
          selected: choice.value === (preferred?.value ?? BUILT_IN),
        },
        choice.label,
      ),
    ),
  );
  if (storeError !== undefined) {
    showNotice(
      "info",
      `Stored rule sets are unavailable, so only the built-in one is listed: ${describeError(storeError)}`,
    );
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const goal = goalInput.value;
  void run((ruleSet) => planGoal(ruleSet, goal));
});

planFile.addEventListener("change", () => {
  const file = planFile.files?.[0];
  planFile.value = "";
  if (file === undefined) return;
  void run(async () => {
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch (error) {
      throw new Error(`"${file.name}" is not valid JSON: ${describeError(error)}`);
    }
    return importPlan(json);
  });
});

byId("run-large").addEventListener("click", () => {
  const size = Number(largeSize.value);
  if (!Number.isInteger(size) || size < 1 || size > 1_000_000) {
    showNotice(
      "error",
      `The task count must be a whole number from 1 to 1,000,000; found "${largeSize.value}".`,
    );
    return;
  }
  void run(() => generateLargePlan(size));
});

byId("cancel-run").addEventListener("click", () => {
  currentRun?.abort();
  currentRun = undefined;
  endStages();
  showNotice(
    "info",
    "Cancelled. The worker finishes its current batch in the background.",
  );
});

exportPlan.addEventListener("click", () => {
  if (session !== undefined) downloadText("plan.json", canonicalJson(session.plan));
});
exportRoute.addEventListener("click", () => {
  if (session?.route !== undefined)
    downloadText("route.json", canonicalJson(session.route));
});
exportValidation.addEventListener("click", () => {
  if (session?.validation !== undefined)
    downloadText("validation.json", canonicalJson(session.validation));
});

void refreshRuleSets();
