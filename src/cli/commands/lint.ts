/** `switchyard lint`: check a rule-set file for mistakes the schema cannot see. */

import { lintRuleSet } from "../../engine/lint/index.js";
import { safeParseRuleSet } from "../../engine/schema/index.js";
import type { RuleSet } from "../../engine/types.js";
import { flag, parseCommandArgs, requirePositionals } from "../args.js";
import { EXIT_FAILED, EXIT_OK } from "../errors.js";
import { formatFindings } from "../format.js";
import { problemsError } from "../inputs.js";
import { readJsonFile, type CliIo } from "../io.js";

export const LINT_HELP = `Usage: switchyard lint RULESET [--json]

Check a rule-set file: duplicate ids, rules naming unknown agents, conditions
that can never hold, rules that can never win or tie, task types no agent
supports and agents nothing can reach. Each finding has a code, a severity
(error, warning or info), a JSON path and a fix.

Options:
  --json      print {"findings": [{"code", "severity", "path", "message"}]}
  -h, --help  show this help

Exit status: 0 when there are no error findings, 1 when there are, 2 when the
file is unreadable or invalid in a way lint cannot analyse.
`;

/** Schema problems that lint reports itself, so the file is linted anyway. */
const LINTABLE_PROBLEM = /^(agents|rules)\[\d+\]\.(id|agent)$/;

export async function runLint(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs("lint", argv, { json: { type: "boolean" } });
  if (flag(args, "help")) {
    io.stdout(LINT_HELP);
    return EXIT_OK;
  }
  const [path] = requirePositionals("lint", args, ["RULESET"]);

  const input = await readJsonFile(path!);
  const parsed = safeParseRuleSet(input);
  let ruleSet: RuleSet;
  if (parsed.ok) {
    ruleSet = parsed.value;
  } else if (parsed.problems.every((problem) => LINTABLE_PROBLEM.test(problem.path))) {
    // Duplicate ids and unknown agents only: lint reads the raw file and reports them.
    ruleSet = input as RuleSet;
  } else {
    throw problemsError(path!, parsed.problems);
  }

  const findings = lintRuleSet(ruleSet);
  io.stdout(
    flag(args, "json")
      ? JSON.stringify({ findings }, null, 2) + "\n"
      : formatFindings(path!, findings),
  );
  return findings.some((finding) => finding.severity === "error") ? EXIT_FAILED : EXIT_OK;
}
