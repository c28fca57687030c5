/** Errors that end a command with exit status 2 (bad input or usage). */

/** The command line itself is wrong: unknown command or option, missing argument. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** An input file is unreadable or invalid; the message names the file and JSON path. */
export class InputError extends Error {
  override readonly name = "InputError";
}

/** Exit statuses of the `switchyard` command. */
export const EXIT_OK = 0;
/** The plan has unassigned tasks or fails validation, or lint found errors. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** A bug in switchyard rather than in the input. */
export const EXIT_INTERNAL = 70;
