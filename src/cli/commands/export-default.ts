/** `switchyard export-default`: print the built-in rule set. */

import { DEFAULT_RULE_SET } from "../../engine/default-ruleset.js";
import { canonicalJson } from "../../engine/schema/index.js";
import { flag, parseCommandArgs, requirePositionals } from "../args.js";
import { EXIT_OK } from "../errors.js";
import type { CliIo } from "../io.js";

export const EXPORT_DEFAULT_HELP = `Usage: switchyard export-default

Print the built-in genesis-default rule set as canonical JSON (sorted keys,
two-space indent), ready to edit and pass back with --rules.

Options:
  -h, --help  show this help
`;

export async function runExportDefault(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs("export-default", argv, {});
  if (flag(args, "help")) {
    io.stdout(EXPORT_DEFAULT_HELP);
    return EXIT_OK;
  }
  requirePositionals("export-default", args, []);
  io.stdout(canonicalJson(DEFAULT_RULE_SET));
  return Promise.resolve(EXIT_OK);
}
