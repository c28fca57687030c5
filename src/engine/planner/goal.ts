/**
 * Goal checks run before planning: a length limit and a list of
 * prompt-injection markers, matched case-insensitively after collapsing
 * whitespace, because goals may be forwarded to an LLM-backed decomposer.
 */
import { GoalError } from "../errors.js";

/** Phrases that reject a goal; matched on lower-cased, whitespace-collapsed text. */
export const INJECTION_MARKERS: readonly string[] = [
  "ignore previous instructions",
  "ignore all previous instructions",
  "new instructions:",
  "system:",
  "<script",
  "javascript:",
  "forget everything",
  "exfiltrate",
  "backdoor",
];

/** Checks a goal; throws GoalError with code E_GOAL_INVALID, E_GOAL_TOO_LONG or E_GOAL_INJECTION. */
export function checkGoal(goal: unknown, maxGoalLength: number): asserts goal is string {
  if (typeof goal !== "string" || goal.trim() === "") {
    throw new GoalError("Invalid goal: expected a non-empty string", {
      code: "E_GOAL_INVALID",
      details: { received: typeof goal },
    });
  }
  if (goal.length > maxGoalLength) {
    throw new GoalError(
      `Goal too long: ${goal.length} characters, the limit maxGoalLength is ${maxGoalLength}; shorten the goal`,
      {
        code: "E_GOAL_TOO_LONG",
        details: { limit: "maxGoalLength", value: goal.length, max: maxGoalLength },
      },
    );
  }
  const text = goal.toLowerCase().replace(/\s+/g, " ");
  const marker = INJECTION_MARKERS.find((candidate) => text.includes(candidate));
  if (marker !== undefined) {
    throw new GoalError(
      `Goal rejected: it contains the prompt-injection marker "${marker}"; rephrase the goal without it`,
      { code: "E_GOAL_INJECTION", details: { marker } },
    );
  }
}
