/** Command-line parsing on `node:util` parseArgs, with errors as UsageError. */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.js";
import {
  DEFAULT_ENGINE,
  ENGINE_KINDS,
  isEngineKind,
  type EngineKind,
} from "./routing.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * Parses `argv` (the arguments after the command name) against `options`,
 * always accepting `--help`/`-h`. Unknown options and missing option values
 * raise UsageError naming the command.
 */
export function parseCommandArgs(
  command: string,
  argv: string[],
  options: Options,
): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: joinNegativeValues(argv, options),
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      `${command}: ${firstLine(message)}; run "switchyard ${command} --help"`,
    );
  }
}

/** Reads a string option, whose type parseArgs guarantees for `type: "string"`. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === "string" ? value : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** Requires exactly `names.length` positionals, naming the missing or extra one. */
export function requirePositionals(
  command: string,
  args: ParsedArgs,
  names: string[],
): string[] {
  if (args.positionals.length < names.length) {
    const missing = names[args.positionals.length]!;
    throw new UsageError(
      `${command}: missing ${missing}; run "switchyard ${command} --help"`,
    );
  }
  if (args.positionals.length > names.length) {
    const extra = args.positionals[names.length]!;
    throw new UsageError(
      `${command}: unexpected argument "${extra}"; run "switchyard ${command} --help"`,
    );
  }
  return args.positionals;
}

/**
 * Joins `--name -5` into `--name=-5` for string options. parseArgs reads a
 * value that starts with a dash as another option, so the command would
 * otherwise reject `-5` with a confusing message instead of checking it.
 */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    const next = argv[i + 1];
    const name = token.startsWith("--") ? token.slice(2) : "";
    if (options[name]?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${token}=${next}`);
      i++;
    } else {
      joined.push(token);
    }
  }
  return joined;
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.replace(/\.$/, "");
}

/** Reads `--engine`, naming the allowed values when it is not one of them. */
export function engineOption(command: string, args: ParsedArgs): EngineKind {
  const value = stringOption(args, "engine");
  if (value === undefined) return DEFAULT_ENGINE;
  if (!isEngineKind(value)) {
    throw new UsageError(
      `${command}: invalid --engine "${value}"; expected one of ${ENGINE_KINDS.join(", ")}`,
    );
  }
  return value;
}
