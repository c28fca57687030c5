/**
 * Normalises the two route shapes the validator accepts (a route result, or a
 * plain `{taskId: agentId}` map) into one list of entries with JSON paths.
 */

import { formatPath } from "../errors.js";
import type { RouteResult } from "../types.js";

export interface RouteEntry {
  task: string;
  agent: string;
  /** Where the entry sits in the route input, e.g. `assignments[2]` or `t3`. */
  path: string;
}

export interface UnassignedEntry {
  task: string;
  reason: string;
  explanation: string;
  path: string;
}

/** An entry of the route input that is not a well-formed assignment. */
export interface MalformedEntry {
  path: string;
  message: string;
}

export interface RouteInput {
  assignments: RouteEntry[];
  unassigned: UnassignedEntry[];
  malformed: MalformedEntry[];
}

/**
 * Tells a route result from a plain map. A map's values are strings, so a map
 * with a task called `assignments` still has a string there, never an array.
 */
export function isRouteResult(route: unknown): route is RouteResult {
  return (
    typeof route === "object" &&
    route !== null &&
    Array.isArray((route as { assignments?: unknown }).assignments)
  );
}

/** Reads either route shape without trusting its types. */
export function readRouteInput(route: RouteResult | Record<string, string>): RouteInput {
  if (isRouteResult(route)) {
    return readRouteResult(route);
  }
  return readAssignmentMap(route);
}

function readRouteResult(route: RouteResult): RouteInput {
  const assignments: RouteEntry[] = [];
  const unassigned: UnassignedEntry[] = [];
  const malformed: MalformedEntry[] = [];

  route.assignments.forEach((entry: unknown, index) => {
    const task = readString(entry, "task");
    const agent = readString(entry, "agent");
    if (task === undefined || agent === undefined) {
      const path = `assignments[${index}]`;
      malformed.push({
        path,
        message: `${path} must have string "task" and "agent" fields`,
      });
      return;
    }
    assignments.push(new AssignmentEntry(task, agent, index));
  });

  const list: unknown = (route as { unassigned?: unknown }).unassigned;
  if (Array.isArray(list)) {
    list.forEach((entry: unknown, index) => {
      const path = `unassigned[${index}]`;
      const task = readString(entry, "task");
      if (task === undefined) {
        malformed.push({ path, message: `${path} must have a string "task" field` });
        return;
      }
      unassigned.push({
        task,
        reason: readString(entry, "reason") ?? "unknown",
        explanation: readString(entry, "explanation") ?? "",
        path,
      });
    });
  } else if (list !== undefined) {
    malformed.push({ path: "unassigned", message: "unassigned must be an array" });
  }

  return { assignments, unassigned, malformed };
}

/** An entry of `route.assignments`; its path is formatted only when an issue needs it. */
class AssignmentEntry implements RouteEntry {
  constructor(
    readonly task: string,
    readonly agent: string,
    private readonly index: number,
  ) {}

  get path(): string {
    return `assignments[${this.index}]`;
  }
}

function readAssignmentMap(map: Record<string, string>): RouteInput {
  const assignments: RouteEntry[] = [];
  const malformed: MalformedEntry[] = [];
  if (typeof map !== "object" || map === null || Array.isArray(map)) {
    malformed.push({
      path: "(root)",
      message: "the route must be a route result or a {taskId: agentId} object",
    });
  } else {
    for (const task of Object.keys(map)) {
      const agent: unknown = map[task];
      const path = formatPath([task]);
      if (typeof agent !== "string") {
        malformed.push({ path, message: `${path} must be an agent id string` });
        continue;
      }
      assignments.push({ task, agent, path });
    }
  }
  return { assignments, unassigned: [], malformed };
}

function readString(entry: unknown, key: string): string | undefined {
  if (typeof entry !== "object" || entry === null) return undefined;
  if (!Object.prototype.hasOwnProperty.call(entry, key)) return undefined;
  const value: unknown = (entry as Record<string, unknown>)[key];
  return typeof value === "string" ? value : undefined;
}
