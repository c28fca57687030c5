/** `switchyard plan`: decompose a goal, route its tasks and validate the plan. */

import { DEFAULT_RULE_SET } from "../../engine/default-ruleset.js";
import { GoalError, LimitError, SwitchyardError } from "../../engine/errors.js";
import { Planner } from "../../engine/planner/index.js";
import type { Plan, RouteResult } from "../../engine/types.js";
import { validatePlan } from "../../engine/validator/index.js";
import { engineOption, flag, parseCommandArgs, stringOption } from "../args.js";
import { EXIT_FAILED, EXIT_OK, InputError, UsageError } from "../errors.js";
import { formatRoute, formatValidation } from "../format.js";
import { loadRuleSet } from "../inputs.js";
import { MAX_INPUT_BYTES, type CliIo } from "../io.js";
import { createRoutingEngine } from "../routing.js";

export const PLAN_HELP = `Usage: switchyard plan [GOAL] [--rules FILE] [--engine E] [--json]

Decompose GOAL into a task plan with the rule set's planner, route every task
to an agent and validate the result. Without GOAL, the goal is read from
standard input. Several words are joined with spaces.

Options:
  --rules FILE  rule-set JSON file (default: the built-in genesis-default)
  --engine E    wasm (default) or js: the matcher, run in a worker thread;
                inline: the JS matcher in this process, without a worker
  --json        print {"plan": ..., "route": ..., "validation": ...}
  -h, --help    show this help

Exit status: 0 when every task is assigned and the plan passes validation,
1 when not, 2 on bad input or usage.
`;

export async function runPlan(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs("plan", argv, {
    rules: { type: "string" },
    engine: { type: "string" },
    json: { type: "boolean" },
  });
  if (flag(args, "help")) {
    io.stdout(PLAN_HELP);
    return EXIT_OK;
  }

  const engineKind = engineOption("plan", args);
  const goal = await readGoal(args.positionals, io);
  const rulesPath = stringOption(args, "rules");
  const ruleSet = await loadRuleSet(rulesPath);
  const planner = new Planner(ruleSet.planner ?? DEFAULT_RULE_SET.planner!);
  const plan = decompose(planner, goal, rulesPath);
  const engine = await createRoutingEngine(ruleSet, engineKind);
  let route: RouteResult;
  try {
    route = await engine.route(plan, {});
  } finally {
    engine.close();
  }
  const validation = validatePlan(plan, route, ruleSet);

  if (flag(args, "json")) {
    io.stdout(JSON.stringify({ plan, route, validation }, null, 2) + "\n");
  } else {
    io.stdout(
      `Goal: ${goal}\n` + formatRoute(plan, route) + formatValidation(validation),
    );
  }
  return validation.passed && route.unassigned.length === 0 ? EXIT_OK : EXIT_FAILED;
}

async function readGoal(positionals: string[], io: CliIo): Promise<string> {
  if (positionals.length > 0) return positionals.join(" ");
  if (io.readStdin === undefined || io.stdinIsTty === true) {
    throw new UsageError(
      'plan: missing GOAL; pass it as an argument or on standard input; run "switchyard plan --help"',
    );
  }
  const text = await io.readStdin();
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES) {
    throw new InputError(
      `(stdin): goal is over the ${MAX_INPUT_BYTES / (1024 * 1024)} MiB input limit`,
    );
  }
  const goal = text.trim();
  if (goal === "") throw new UsageError("plan: the goal on standard input is empty");
  return goal;
}

/** Runs the planner. A rejected goal or a broken planner section is bad input. */
function decompose(planner: Planner, goal: string, rulesPath: string | undefined): Plan {
  try {
    return planner.decompose(goal);
  } catch (error) {
    if (error instanceof GoalError || error instanceof LimitError) {
      throw new InputError(`goal: ${error.message}`);
    }
    if (error instanceof SwitchyardError) {
      const source = rulesPath ?? "built-in rule set";
      throw new InputError(`${source}: planner: ${error.message}`);
    }
    throw error;
  }
}
