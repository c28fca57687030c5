/**
 * Line diff with Myers' O((N+M)·D) greedy algorithm ("An O(ND) Difference
 * Algorithm and Its Variations", Algorithmica 1986), after trimming the
 * common prefix and suffix. The edit script is minimal. Inputs whose
 * difference exceeds `maxEdits` lines come back as one removal of the old
 * middle and one addition of the new, so memory stays O(maxEdits²).
 */

export type DiffLine =
  | { kind: "same"; oldNumber: number; newNumber: number; text: string }
  | { kind: "removed"; oldNumber: number; text: string }
  | { kind: "added"; newNumber: number; text: string };

const DEFAULT_MAX_EDITS = 2000;

export function diffLines(
  before: string,
  after: string,
  maxEdits = DEFAULT_MAX_EDITS,
): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);

  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }

  const result: DiffLine[] = [];
  for (let i = 0; i < start; i++) {
    result.push({ kind: "same", oldNumber: i + 1, newNumber: i + 1, text: a[i]! });
  }
  const middle =
    editScript(a.slice(start, endA), b.slice(start, endB), maxEdits) ??
    replaceAll(endA - start, endB - start);
  for (const step of middle) {
    if (step.kind === "same") {
      result.push({
        kind: "same",
        oldNumber: start + step.x + 1,
        newNumber: start + step.y + 1,
        text: a[start + step.x]!,
      });
    } else if (step.kind === "removed") {
      result.push({
        kind: "removed",
        oldNumber: start + step.x + 1,
        text: a[start + step.x]!,
      });
    } else {
      result.push({
        kind: "added",
        newNumber: start + step.y + 1,
        text: b[start + step.y]!,
      });
    }
  }
  for (let i = endA, j = endB; i < a.length; i++, j++) {
    result.push({ kind: "same", oldNumber: i + 1, newNumber: j + 1, text: a[i]! });
  }
  return result;
}

/** Splits text into lines; a trailing newline does not start an extra line. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

type Step = { kind: "same" | "removed" | "added"; x: number; y: number };

function replaceAll(oldCount: number, newCount: number): Step[] {
  const steps: Step[] = [];
  for (let x = 0; x < oldCount; x++) steps.push({ kind: "removed", x, y: 0 });
  for (let y = 0; y < newCount; y++) steps.push({ kind: "added", x: 0, y });
  return steps;
}

/** Returns the minimal edit script from `a` to `b`, or null past `maxEdits`. */
function editScript(
  a: readonly string[],
  b: readonly string[],
  maxEdits: number,
): Step[] | null {
  const n = a.length;
  const m = b.length;
  const offset = n + m + 1;
  const v = new Int32Array(2 * offset + 1);
  // trace[d] contains v[-d-1 .. d+1] as it was when round d started.
  const trace: Int32Array[] = [];
  let last = -1;

  search: for (let d = 0; d <= Math.min(n + m, maxEdits); d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      // Step down (insertion) from diagonal k+1 or right (deletion) from k-1.
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        last = d;
        break search;
      }
    }
  }
  if (last < 0) return null;

  const steps: Step[] = [];
  let x = n;
  let y = m;
  for (let d = last; d > 0; d--) {
    const saved = trace[d]!;
    const at = (k: number): number => saved[k + d + 1]!;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const previousK = down ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x--;
      y--;
      steps.push({ kind: "same", x, y });
    }
    if (down) {
      y--;
      steps.push({ kind: "added", x, y });
    } else {
      x--;
      steps.push({ kind: "removed", x, y });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    steps.push({ kind: "same", x, y });
  }
  return steps.reverse();
}
