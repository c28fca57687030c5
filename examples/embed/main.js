// Plans a goal on the page and routes it in switchyard's worker.
import { createRouter, DEFAULT_RULE_SET, Planner } from "switchyard";

const status = document.getElementById("status");
const list = document.getElementById("assignments");

try {
  const plan = new Planner(DEFAULT_RULE_SET.planner).decompose("Launch a SaaS business");
  const router = await createRouter({ ruleSet: DEFAULT_RULE_SET });
  const result = await router.route(plan);
  const stats = await router.stats();
  for (const assignment of result.assignments) {
    const item = document.createElement("li");
    item.textContent = `${assignment.task} → ${assignment.agent}: ${assignment.explanation}`;
    list.append(item);
  }
  status.textContent = `Routed ${result.assignments.length} tasks with the ${stats.engine} matcher.`;
  status.dataset.engine = stats.engine;
  router.terminate();
} catch (error) {
  status.textContent = `Routing failed: ${error instanceof Error ? error.message : String(error)}`;
  status.dataset.failed = "true";
}
