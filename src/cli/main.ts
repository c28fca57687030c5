/**
 * The `switchyard` command. `main` takes the arguments and output writers and
 * returns the exit status, so tests run it in-process; `bin/switchyard.mjs`
 * connects it to the process.
 */

import { didYouMean } from "../engine/schema/edit-distance.js";
import { runExportDefault } from "./commands/export-default.js";
import { runLint } from "./commands/lint.js";
import { runPlan } from "./commands/plan.js";
import { runRoute } from "./commands/route.js";
import { runValidate } from "./commands/validate.js";
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, InputError, UsageError } from "./errors.js";
import type { CliIo } from "./io.js";

export type { CliIo } from "./io.js";
export { EXIT_FAILED, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE } from "./errors.js";

export const MAIN_HELP = `Usage: switchyard COMMAND [options]

Plan a goal into a task DAG, route tasks to agents with rules, validate plans.

Commands:
  plan [GOAL]            decompose a goal, route every task and validate the plan
  route PLAN             route a plan file
  validate PLAN ROUTE    validate a plan against a route result or {"taskId": "agentId"} map
  lint RULESET           check a rule-set file
  export-default         print the built-in genesis-default rule set

Run "switchyard COMMAND --help" for the options of a command.

Exit status: 0 on success; 1 when a plan has unassigned tasks or fails
validation, or lint finds errors; 2 on bad input or usage; 70 on an internal
error.
`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: ReadonlyMap<string, Command> = new Map([
  ["plan", runPlan],
  ["route", runRoute],
  ["validate", runValidate],
  ["lint", runLint],
  ["export-default", runExportDefault],
]);

/** Runs one command line and returns its exit status, 70 for an internal error. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(MAIN_HELP);
    return EXIT_USAGE;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    io.stdout(MAIN_HELP);
    return EXIT_OK;
  }

  const command = COMMANDS.get(name);
  if (command === undefined) {
    const hint = didYouMean(name, COMMANDS.keys());
    io.stderr(`switchyard: unknown command "${name}"${hint}; run "switchyard --help"\n`);
    return EXIT_USAGE;
  }

  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`switchyard ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof InputError) {
      io.stderr(`${error.message}\n`);
      return EXIT_USAGE;
    }
    const detail =
      error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`switchyard: internal error, please report it: ${detail}\n`);
    return EXIT_INTERNAL;
  }
}
