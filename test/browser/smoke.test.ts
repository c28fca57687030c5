import { expect, test } from "vitest";
test("runs in a real browser", () => {
  expect(typeof indexedDB.open).toBe("function");
  expect(typeof WebAssembly.instantiate).toBe("function");
});
