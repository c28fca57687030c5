/**
 * Finds where each value of a JSON text starts, keyed by its path in the
 * engine's notation (`rules[3].when.all[0].op`), so that schema problems and
 * lint findings can point at a line in the editor. Expects text that
 * `JSON.parse` accepted; on anything else it returns what it found so far.
 */
import { formatPath } from "../../../src/engine/index.js";

export interface TextPosition {
  line: number;
  column: number;
}

/** Containers deeper than this are not indexed (the engine rejects them anyway). */
const MAX_DEPTH = 256;

export function locateJsonPaths(text: string): Map<string, TextPosition> {
  const positions = new Map<string, TextPosition>();
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++)
    if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const positionOf = (offset: number): TextPosition => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - lineStarts[low]! + 1 };
  };

  let index = 0;
  const skipSpace = (): void => {
    while (index < text.length && " \t\r\n".includes(text[index]!)) index++;
  };
  const readString = (): string => {
    const start = index;
    index++;
    while (index < text.length && text[index] !== '"')
      index += text[index] === "\\" ? 2 : 1;
    index++;
    return JSON.parse(text.slice(start, index)) as string;
  };
  const value = (path: (string | number)[]): void => {
    skipSpace();
    positions.set(formatPath(path), positionOf(index));
    const char = text[index];
    if (char === "{" || char === "[") {
      if (path.length >= MAX_DEPTH) throw new RangeError("nested too deeply");
      container(path, char === "{");
    } else if (char === '"') {
      readString();
    } else {
      while (index < text.length && !",]} \t\r\n".includes(text[index]!)) index++;
    }
  };
  const container = (path: (string | number)[], isObject: boolean): void => {
    index++;
    skipSpace();
    const close = isObject ? "}" : "]";
    let position = 0;
    while (index < text.length && text[index] !== close) {
      if (isObject) {
        const key = readString();
        skipSpace();
        index++; // the colon
        value([...path, key]);
      } else {
        value([...path, position++]);
      }
      skipSpace();
      if (text[index] === ",") index++;
      skipSpace();
    }
    index++;
  };

  try {
    value([]);
  } catch {
    // Malformed or too deep: keep the positions found so far.
  }
  return positions;
}

/**
 * Returns the position of `path`, or of its nearest ancestor when the path
 * itself is absent (a missing key is reported at its object).
 */
export function findPath(
  positions: ReadonlyMap<string, TextPosition>,
  path: string,
): TextPosition | undefined {
  let current = path;
  for (;;) {
    const found = positions.get(current);
    if (found !== undefined) return found;
    const parent = parentPath(current);
    if (parent === undefined) return positions.get("(root)");
    current = parent;
  }
}

function parentPath(path: string): string | undefined {
  const match = /(?:\.[^.[\]]+|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/.exec(path);
  if (match === null || match.index === 0) return undefined;
  return path.slice(0, match.index);
}
