import { expect, test } from "vitest";
import { formatPath } from "../../src/engine/errors.js";
test("formatPath joins segments", () => {
  expect(formatPath(["rules", 3, "when", "all", 0, "op"])).toBe(
    "rules[3].when.all[0].op",
  );
});
