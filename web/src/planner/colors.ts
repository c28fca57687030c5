/**
 * Fill colours for agents: light tints that keep dark text legible, picked
 * so that neighbours in the list differ in hue. Agents beyond the palette
 * reuse it from the start with a darker outline.
 */
const PALETTE = [
  "#a9c8f5",
  "#f7c59f",
  "#b5e3b0",
  "#f2a7b8",
  "#d3bdf0",
  "#f5e08a",
  "#9fdcd6",
  "#e8b5e0",
  "#c9d89a",
  "#f3b58a",
  "#b8c7d9",
  "#e0c9a6",
  "#a7e0f2",
  "#f0c2c2",
  "#c4e6c9",
  "#dccdf7",
] as const;

export const UNASSIGNED_FILL = "#ffffff";
export const SKIPPED_FILL = "#e4e7ec";

/** Maps agent ids to colours in the order given (the rule set's agent order). */
export function agentColors(agentIds: readonly string[]): Map<string, string> {
  const colors = new Map<string, string>();
  agentIds.forEach((agent, index) => {
    colors.set(agent, PALETTE[index % PALETTE.length]!);
  });
  return colors;
}
