/**
 * Guarded reads of not-yet-validated input, so that cross-checks (duplicate
 * ids, unknown references) can run alongside zod and report in one pass.
 */

/** Returns an own property of an object, or undefined for anything else. */
export function ownField(value: unknown, key: string): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** Returns an own array property, or an empty array. */
export function ownArray(value: unknown, key: string): readonly unknown[] {
  const field = ownField(value, key);
  return Array.isArray(field) ? field : [];
}

/** Returns an own string property, or undefined. */
export function ownString(value: unknown, key: string): string | undefined {
  const field = ownField(value, key);
  return typeof field === "string" ? field : undefined;
}
