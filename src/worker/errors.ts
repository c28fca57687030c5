/**
 * Errors across the worker boundary. Comlink's default "throw" handler keeps
 * only the message and stack of an Error and passes any other thrown value
 * through unchanged. This handler keeps the class name, code, path and
 * details, rebuilds engine error classes by name on the receiving side, and
 * turns a thrown non-Error (such as a plain string) into an Error whose
 * message contains it. Install it on both sides with `installErrorHandler`.
 */

import { transferHandlers, type TransferHandler } from "comlink";
import {
  CycleError,
  GoalError,
  LimitError,
  PlanError,
  RouterError,
  RuleSetError,
  SwitchyardError,
  type JsonPath,
} from "../engine/errors.js";

/** An error as structured-clone-safe data. */
export interface SerializedError {
  name: string;
  message: string;
  code: string | null;
  path: JsonPath | null;
  details: Record<string, unknown>;
  stack: string | null;
  /** True when the thrown value was not an Error. */
  wasNotError: boolean;
}

const ERROR_CLASSES: Record<string, typeof SwitchyardError> = {
  SwitchyardError,
  PlanError,
  RuleSetError,
  CycleError,
  LimitError,
  GoalError,
  RouterError,
};

/** Converts `value` to plain data; drops detail values that cannot be cloned. */
function cloneable(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object") return {};
  try {
    return structuredClone(value) as Record<string, unknown>;
  } catch {
    try {
      return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // A value that JSON cannot encode still gets a readable message below.
  }
  return String(value);
}

/** Turns any thrown value into cloneable data. */
export function serializeError(value: unknown): SerializedError {
  if (value instanceof Error) {
    const record = value as Error & { code?: unknown; path?: unknown; details?: unknown };
    const path =
      Array.isArray(record.path) &&
      record.path.every((s) => typeof s === "string" || typeof s === "number")
        ? (record.path as JsonPath)
        : null;
    return {
      name: value.name,
      message: value.message,
      code: typeof record.code === "string" ? record.code : null,
      path,
      details: cloneable(record.details),
      stack: typeof value.stack === "string" ? value.stack : null,
      wasNotError: false,
    };
  }
  return {
    name: "Error",
    message: `worker threw a non-Error value: ${describe(value)}`,
    code: null,
    path: null,
    details: { thrown: typeof value === "string" ? value : describe(value) },
    stack: null,
    wasNotError: true,
  };
}

/** Rebuilds an Error from data, as an engine error class when the name is one. */
export function deserializeError(data: SerializedError): Error {
  const ErrorClass = Object.hasOwn(ERROR_CLASSES, data.name)
    ? ERROR_CLASSES[data.name]
    : undefined;
  let error: Error;
  if (ErrorClass !== undefined) {
    const options = { code: data.code ?? "E_UNKNOWN", details: data.details };
    error = new ErrorClass(
      data.message,
      data.path === null ? options : { ...options, path: data.path },
    );
  } else {
    error = new Error(data.message);
    error.name = data.name;
    const extra = error as Error & { code?: string; path?: JsonPath; details?: unknown };
    if (data.code !== null) extra.code = data.code;
    if (data.path !== null) extra.path = data.path;
    extra.details = data.details;
  }
  if (data.stack !== null) {
    error.stack = `${error.name}: ${error.message}\n    (in worker) ${data.stack}`;
  }
  return error;
}

interface ThrownValue {
  value: unknown;
}

/**
 * Reports whether `value` is Comlink's wrapper of a thrown value. Comlink marks it
 * with a private symbol described as "Comlink.thrown" (comlink 4.4.2), so the
 * check reads the description: a returned object never carries that symbol.
 */
function isThrownWrapper(value: unknown): value is ThrownValue {
  if (typeof value !== "object" || value === null) return false;
  return Object.getOwnPropertySymbols(value).some(
    (s) => s.description === "Comlink.thrown",
  );
}

const throwHandler: TransferHandler<ThrownValue, SerializedError> = {
  canHandle: isThrownWrapper,
  serialize: (thrown) => [serializeError(thrown.value), []],
  deserialize: (data) => {
    throw deserializeError(data);
  },
};

/** Registers the error handler on this side of the boundary; safe to call twice. */
export function installErrorHandler(): void {
  transferHandlers.set("throw", throwHandler as TransferHandler<unknown, unknown>);
}
