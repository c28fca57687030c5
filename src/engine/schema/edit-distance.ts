/** Edit distance and "did you mean" suggestions for unknown ids. */

/**
 * Computes the optimal-string-alignment distance between two strings (UTF-16
 * units): Levenshtein plus the swap of two adjacent characters as one edit,
 * so "fecth" is one edit from "fetch".
 */
export function editDistance(a: string, b: string): number {
  let beforePrevious = new Int32Array(b.length + 1);
  let previous = new Int32Array(b.length + 1);
  let current = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, beforePrevious[j - 2]! + 1);
      }
      current[j] = best;
    }
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[b.length]!;
}

/**
 * Returns the closest known id within a third of the unknown id's length
 * (at least 1, at most 3 edits), or undefined. Ties go to the earlier id.
 */
export function closestId(unknown: string, known: Iterable<string>): string | undefined {
  if (unknown.length > 256) return undefined;
  const budget = Math.min(3, Math.max(1, Math.floor(unknown.length / 3)));
  let best: string | undefined;
  let bestDistance = budget + 1;
  for (const candidate of known) {
    if (Math.abs(candidate.length - unknown.length) >= bestDistance) continue;
    const distance = editDistance(unknown, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Formats a " (did you mean "x"?)" hint, or an empty string. */
export function didYouMean(unknown: string, known: Iterable<string>): string {
  const hint = closestId(unknown, known);
  return hint === undefined ? "" : ` (did you mean "${hint}"?)`;
}
