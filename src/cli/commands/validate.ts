/** `switchyard validate`: validate a plan against a route. */

import { validatePlan } from "../../engine/validator/index.js";
import { flag, parseCommandArgs, requirePositionals, stringOption } from "../args.js";
import { EXIT_FAILED, EXIT_OK, UsageError } from "../errors.js";
import { formatValidation } from "../format.js";
import { loadPlan, loadRoute, loadRuleSet } from "../inputs.js";
import type { CliIo } from "../io.js";

export const VALIDATE_HELP = `Usage: switchyard validate PLAN ROUTE [--rules FILE] [--budget N] [--json]

Check a plan against a route: solvability, completeness, non-redundancy,
structure and (with --budget) cost, and compute the quality score when every
check passes. ROUTE is a route result (the output of "switchyard route
--json"), the --json output of "switchyard plan", or a plain
{"taskId": "agentId"} object.

Options:
  --rules FILE  rule-set JSON file (default: the built-in genesis-default)
  --budget N    maximum estimated cost in cost units, where one task costs
                2 on a cheap agent, 5 on a medium one and 9 on an expensive one
  --json        print the validation result
  -h, --help    show this help

Exit status: 0 when the plan passes, 1 when it fails, 2 on bad input or usage.
`;

export async function runValidate(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs("validate", argv, {
    rules: { type: "string" },
    budget: { type: "string" },
    json: { type: "boolean" },
  });
  if (flag(args, "help")) {
    io.stdout(VALIDATE_HELP);
    return EXIT_OK;
  }
  const [planPath, routePath] = requirePositionals("validate", args, ["PLAN", "ROUTE"]);
  const budget = readBudget(stringOption(args, "budget"));

  const ruleSet = await loadRuleSet(stringOption(args, "rules"));
  const plan = await loadPlan(planPath!);
  const route = await loadRoute(routePath!);
  const result = validatePlan(
    plan,
    route,
    ruleSet,
    budget === undefined ? {} : { budget },
  );

  io.stdout(
    flag(args, "json")
      ? JSON.stringify(result, null, 2) + "\n"
      : formatValidation(result),
  );
  return result.passed ? EXIT_OK : EXIT_FAILED;
}

function readBudget(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const budget = Number(text);
  if (text.trim() === "" || !Number.isFinite(budget) || budget < 0) {
    throw new UsageError(
      `validate: invalid --budget "${text}"; expected a non-negative number of cost units`,
    );
  }
  return budget;
}
