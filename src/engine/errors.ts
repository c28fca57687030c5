/**
 * Error classes, one per category. Every error carries a stable `code` and
 * structured `details` so that it survives the worker boundary (see
 * `src/worker/errors.ts`) and can be matched by callers without parsing text.
 */

export type JsonPath = (string | number)[];

export interface SwitchyardErrorOptions {
  code: string;
  path?: JsonPath;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class SwitchyardError extends Error {
  readonly code: string;
  readonly path: JsonPath | undefined;
  readonly details: Record<string, unknown>;

  constructor(message: string, options: SwitchyardErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.path = options.path;
    this.details = options.details ?? {};
  }
}

/** One problem found while validating a file, as data. */
export interface SchemaProblem {
  /** JSON path in the dotted form `rules[3].when.all[0].op`. */
  path: string;
  message: string;
  /** The value found at the path; `undefined` when absent. */
  received?: unknown;
  expected?: string;
}

/** A plan file or plan object is invalid (schema, duplicate or unknown ids). */
export class PlanError extends SwitchyardError {}

/** A rule-set file is invalid. `details.problems` holds every SchemaProblem. */
export class RuleSetError extends SwitchyardError {}

/** The dependency graph has a cycle; `details.cycle` lists it, first id repeated last. */
export class CycleError extends SwitchyardError {}

/** A configured limit was exceeded; `details.limit` and `details.value` name it. */
export class LimitError extends SwitchyardError {}

/** A goal was rejected before planning (too long, or an injection marker). */
export class GoalError extends SwitchyardError {}

/** A call on the router failed: unknown task, released worker, bad options. */
export class RouterError extends SwitchyardError {}

/** Formats a path array as `rules[3].when.all[0].op`. */
export function formatPath(path: readonly (string | number | symbol)[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") {
      out += `[${segment}]`;
    } else {
      const key = String(segment);
      out += /^[A-Za-z_$][\w$]*$/.test(key)
        ? out === ""
          ? key
          : `.${key}`
        : `[${JSON.stringify(key)}]`;
    }
  }
  return out === "" ? "(root)" : out;
}
