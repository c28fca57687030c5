/**
 * Canonical JSON: object keys sorted by UTF-16 code units, two-space indent,
 * a trailing newline. The same content always gives the same bytes, so files
 * can be compared and versioned byte for byte.
 */

/** Serialises a JSON value canonically. Throws TypeError on cycles and non-JSON values. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value, new Set()), null, 2)}\n`;
}

function sortKeys(value: unknown, ancestors: Set<object>): unknown {
  if (
    typeof value === "bigint" ||
    typeof value === "function" ||
    typeof value === "symbol"
  ) {
    throw new TypeError(`canonicalJson: a ${typeof value} is not a JSON value`);
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new TypeError(`canonicalJson: ${value} is not a JSON number`);
  }
  if (value === null || typeof value !== "object") return value;
  if (ancestors.has(value)) {
    throw new TypeError("canonicalJson: the value contains a cycle");
  }
  ancestors.add(value);
  let out: unknown;
  if (Array.isArray(value)) {
    out = value.map((item) => (item === undefined ? null : sortKeys(item, ancestors)));
  } else {
    const sorted: Record<string, unknown> = Object.create(null) as Record<
      string,
      unknown
    >;
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) sorted[key] = sortKeys(item, ancestors);
    }
    out = sorted;
  }
  ancestors.delete(value);
  return out;
}
