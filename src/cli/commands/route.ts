/** `switchyard route`: route a plan file with a rule set. */

import { CycleError, PlanError, RouterError } from "../../engine/errors.js";
import type { RouteOptions, RouteResult, TaskTrace } from "../../engine/types.js";
import {
  engineOption,
  flag,
  parseCommandArgs,
  requirePositionals,
  stringOption,
} from "../args.js";
import { EXIT_FAILED, EXIT_OK, InputError } from "../errors.js";
import { formatRoute, formatTrace } from "../format.js";
import { engineInputError, loadLoadMap, loadPlan, loadRuleSet } from "../inputs.js";
import type { CliIo } from "../io.js";
import { createRoutingEngine } from "../routing.js";

export const ROUTE_HELP = `Usage: switchyard route PLAN [--rules FILE] [--load FILE] [--available a,b] [--engine E] [--trace] [--json]

Route every task of the PLAN file to an agent, in dependency order. PLAN may
be a switchyard plan, an LLM task list {"tasks": [{"task_id", "task_type",
"description"}]} or AOP rows [{"task", "id", "name", "reason", "dep"}].

Options:
  --rules FILE        rule-set JSON file (default: the built-in genesis-default)
  --load FILE         JSON object of tasks already running per agent, {"agent": 3}
  --available a,b     only these agents (comma-separated ids) may receive tasks
  --engine E          wasm (default) or js: the matcher, run in a worker thread;
                      inline: the JS matcher in this process, without a worker
  --trace             also show, per task, every candidate rule and why it lost
  --json              print the route result; with --trace, {"route": ..., "trace": [...]}
  -h, --help          show this help

Exit status: 0 when every task is assigned, 1 when some task is unassigned,
2 on bad input or usage.
`;

export async function runRoute(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs("route", argv, {
    rules: { type: "string" },
    load: { type: "string" },
    available: { type: "string" },
    engine: { type: "string" },
    trace: { type: "boolean" },
    json: { type: "boolean" },
  });
  if (flag(args, "help")) {
    io.stdout(ROUTE_HELP);
    return EXIT_OK;
  }
  const [planPath] = requirePositionals("route", args, ["PLAN"]);
  const engineKind = engineOption("route", args);

  const ruleSet = await loadRuleSet(stringOption(args, "rules"));
  const plan = await loadPlan(planPath!);
  const options: RouteOptions = {};
  const loadPath = stringOption(args, "load");
  if (loadPath !== undefined) options.load = await loadLoadMap(loadPath);
  const available = stringOption(args, "available");
  if (available !== undefined) options.availableAgents = splitIds(available);

  const engine = await createRoutingEngine(ruleSet, engineKind);
  let route: RouteResult;
  let traces: TaskTrace[] | undefined;
  try {
    route = await withOptionErrors(planPath!, () => engine.route(plan, options));
    if (flag(args, "trace")) {
      // NOTE: each trace replays the routing up to its task, so --trace is
      // quadratic in the plan size and meant for small plans.
      traces = [];
      for (const id of route.order) traces.push(await engine.trace(plan, id, options));
    }
  } finally {
    engine.close();
  }

  if (flag(args, "json")) {
    const output = traces === undefined ? route : { route, trace: traces };
    io.stdout(JSON.stringify(output, null, 2) + "\n");
  } else {
    io.stdout(formatRoute(plan, route) + (traces ?? []).map(formatTrace).join(""));
  }
  return route.unassigned.length === 0 ? EXIT_OK : EXIT_FAILED;
}

function splitIds(list: string): string[] {
  return list
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id !== "");
}

/**
 * Unknown agents in --load or --available, and a plan the router cannot
 * order (a cycle, a bad reference), are bad input, not a routing failure.
 */
async function withOptionErrors<T>(planPath: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RouterError) throw new InputError(`route: ${error.message}`);
    if (error instanceof CycleError || error instanceof PlanError) {
      throw engineInputError(planPath, error);
    }
    throw error;
  }
}
