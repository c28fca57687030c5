/**
 * Task metadata: a JSON object whose values are strings, finite numbers,
 * booleans, null, arrays of those, or nested objects. The metadata object is
 * level 1 and each nested object adds a level, up to MAX_METADATA_DEPTH.
 */
import type { JsonPath } from "../errors.js";
import { MAX_METADATA_DEPTH, overLimit } from "../limits.js";
import type { Metadata, MetadataValue } from "../types.js";
import { PROTOTYPE_KEYS } from "./prescan.js";
import type { RawProblem } from "./problems.js";

export { MAX_METADATA_DEPTH };

/** Checks a metadata object iteratively; paths are relative to it. */
export function checkMetadata(root: unknown): RawProblem[] {
  const problems: RawProblem[] = [];
  const stack: { value: unknown; path: JsonPath; depth: number }[] = [
    { value: root, path: [], depth: 1 },
  ];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (!isPlainObject(value)) {
      problems.push({
        path,
        message: "expected object",
        received: value,
        expected: "object",
      });
      continue;
    }
    if (depth > MAX_METADATA_DEPTH) {
      problems.push({
        path,
        message: `metadata nested deeper than ${MAX_METADATA_DEPTH} levels, ${overLimit("maxMetadataDepth")}`,
        expected: `at most ${MAX_METADATA_DEPTH} levels of objects`,
      });
      continue;
    }
    for (const key of Object.keys(value)) {
      const item = value[key];
      const itemPath = [...path, key];
      if (PROTOTYPE_KEYS.has(key)) {
        problems.push({
          path: itemPath,
          message: `the key "${key}" is not allowed in metadata because it names an object prototype member`,
          expected: "another key",
        });
      } else if (isPlainObject(item)) {
        stack.push({ value: item, path: itemPath, depth: depth + 1 });
      } else if (Array.isArray(item)) {
        item.forEach((element: unknown, i) => {
          if (!isJsonScalar(element)) {
            problems.push({
              path: [...itemPath, i],
              message:
                "expected string, finite number, boolean or null in a metadata array",
              received: element,
              expected: "scalar",
            });
          }
        });
      } else if (!isJsonScalar(item)) {
        problems.push({
          path: itemPath,
          message: "expected string, finite number, boolean, null, array or object",
          received: item,
          expected: "JSON value",
        });
      }
    }
  }
  return problems;
}

/** Tests for a plain data object: not an array, not null, not a class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isJsonScalar(value: unknown): boolean {
  return (
    value === null ||
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}

/**
 * Deep-copies metadata into fresh plain objects. The recursion is bounded
 * because `scanInput` rejects input nested deeper than MAX_INPUT_DEPTH (and
 * cyclic input) before zod runs this.
 */
export function cloneMetadata(metadata: Metadata): Metadata {
  const copy: Metadata = {};
  for (const key of Object.keys(metadata)) {
    copy[key] = cloneValue(metadata[key]!);
  }
  return copy;
}

function cloneValue(value: MetadataValue): MetadataValue {
  if (Array.isArray(value)) return value.slice();
  if (value !== null && typeof value === "object") return cloneMetadata(value);
  return value;
}
