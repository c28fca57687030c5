/** `switchyard lint`: check a rule-set file for mistakes the schema cannot see. */

import type { SchemaProblem } from "../../engine/errors.js";
import { lintRuleSet, type LintFinding } from "../../engine/lint/index.js";
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
  --json      print {"findings": [{"code", "severity", "path", "message"}]};
              schema problems appear as "invalid-schema" findings
  -h, --help  show this help

Exit status: 0 when there are no error findings, 1 when there are, 2 when the
file is unreadable or invalid in a way lint cannot analyse.
`;

/** Schema problems that lint reports itself, so the file is linted anyway. */
const LINTABLE_PROBLEM = /^(agents|rules)\[\d+\]\.(id|agent)$/;

function schemaFinding(problem: SchemaProblem): LintFinding {
  return {
    code: "invalid-schema",
    severity: "error",
    path: problem.path,
    message: `${problem.message}; the file cannot be imported until this is fixed`,
  };
}

export async function runLint(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs("lint", argv, { json: { type: "boolean" } });
  if (flag(args, "help")) {
    io.stdout(LINT_HELP);
    return EXIT_OK;
  }
  const [path] = requirePositionals("lint", args, ["RULESET"]);

  const input = await readJsonFile(path!);
  const parsed = safeParseRuleSet(input);
  let findings: LintFinding[];
  if (parsed.ok) {
    findings = lintRuleSet(parsed.value);
  } else if (parsed.problems.every((problem) => LINTABLE_PROBLEM.test(problem.path))) {
    // Only id and agent problems, so lint reads the raw file. Every schema
    // problem that lint does not report at its path is added as a finding,
    // so a file that import rejects never passes lint.
    findings = lintRuleSet(input as RuleSet);
    const covered = new Set(findings.map((finding) => finding.path));
    for (const problem of parsed.problems) {
      if (!covered.has(problem.path)) findings.push(schemaFinding(problem));
    }
  } else {
    if (flag(args, "json")) {
      const schemaFindings = parsed.problems.map(schemaFinding);
      io.stdout(JSON.stringify({ findings: schemaFindings }, null, 2) + "\n");
    }
    throw problemsError(path!, parsed.problems);
  }

  io.stdout(
    flag(args, "json")
      ? JSON.stringify({ findings }, null, 2) + "\n"
      : formatFindings(path!, findings),
  );
  return findings.some((finding) => finding.severity === "error") ? EXIT_FAILED : EXIT_OK;
}
