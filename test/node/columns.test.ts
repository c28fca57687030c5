import { describe, expect, test } from "vitest";
import { RouterError } from "../../src/engine/errors.js";
import { compileRuleSet } from "../../src/engine/router/compile.js";
import { expandColumns, type ColumnBatch } from "../../src/engine/router/columns.js";
import { packColumns, packTasks } from "../../src/engine/router/pack.js";
import {
  KIND_ARRAY,
  KIND_OBJECT,
  type TaskBatch,
} from "../../src/engine/router/tables.js";
import type { Task } from "../../src/engine/types.js";
import { agent, rule, ruleSet, task } from "./router-fixtures.js";

const tables = compileRuleSet(
  ruleSet(
    [agent("A", ["t"])],
    [
      rule("region", 1, { field: "metadata.region", op: "eq", value: "eu" }, "A"),
      rule("size", 1, { field: "metadata.size", op: "gt", value: 10 }, "A"),
      rule("tags", 1, { field: "metadata.tags", op: "contains", value: "gpu" }, "A"),
      rule("owner", 1, { field: "metadata.owner", op: "startsWith", value: "ops" }, "A"),
      rule("kind", 1, { field: "description", op: "contains", value: "x" }, "A"),
    ],
  ),
);

function withMetadata(id: string, metadata: Task["metadata"], completed = false): Task {
  return task(id, "t", {
    metadata,
    description: `${id} x`,
    status: completed ? "completed" : "pending",
  });
}

/** Array slots as (element kinds, element numbers) per cell, so element order does not matter. */
function arrayContents(batch: TaskBatch): unknown[] {
  const contents: unknown[] = [];
  for (let cell = 0; cell < batch.slotKind.length; cell++) {
    if (batch.slotKind[cell] !== KIND_ARRAY) continue;
    const first = batch.slotNum[cell]!;
    const count = batch.slotAux[cell]!;
    contents.push([
      cell,
      Array.from(batch.elemKind.subarray(first, first + count)),
      Array.from(batch.elemNum.subarray(first, first + count)),
    ]);
  }
  return contents;
}

function expectSameBatch(tasks: Task[]): ColumnBatch {
  const columns = packColumns(tables, tasks);
  const expected = packTasks(tables, tasks, new Int32Array(0));
  const actual = expandColumns(tables, structuredClone(columns), new Int32Array(0));
  expect(Array.from(actual.taskType)).toEqual(Array.from(expected.taskType));
  expect(Array.from(actual.taskCompleted)).toEqual(Array.from(expected.taskCompleted));
  expect(Array.from(actual.slotKind)).toEqual(Array.from(expected.slotKind));
  expect(Array.from(actual.predicates)).toEqual(Array.from(expected.predicates));
  expect(arrayContents(actual)).toEqual(arrayContents(expected));
  for (let cell = 0; cell < actual.slotKind.length; cell++) {
    // Object values carry no number; the matchers never compare one.
    const kind = actual.slotKind[cell];
    if (kind === KIND_ARRAY || kind === KIND_OBJECT) continue;
    expect(Object.is(actual.slotNum[cell], expected.slotNum[cell])).toBe(true);
  }
  return columns;
}

describe("packColumns", () => {
  test("small values use u16 columns", () => {
    const columns = expectSameBatch([
      withMetadata("a", { region: "eu", size: 12, tags: ["gpu", "x"], owner: "ops-1" }),
      withMetadata("b", { region: "us", size: null, tags: [], owner: 3 }, true),
      withMetadata("c", { region: true, tags: "gpu", owner: { nested: 1 } }),
    ]);
    const encodings = columns.slots.map((column) => column?.encoding ?? null);
    expect(encodings.filter((e) => e !== null).every((e) => e === "u16")).toBe(true);
    expect(columns.taskType).toBeInstanceOf(Uint8Array);
    expect(columns.completedBits).not.toBeNull();
  });

  test("large integers use an i32 column", () => {
    const columns = expectSameBatch([
      withMetadata("a", { size: 100_000 }),
      withMetadata("b", { size: 5 }),
    ]);
    const size = tables.slotPaths.indexOf("metadata.size");
    expect(columns.slots[size]?.encoding).toBe("i32");
  });

  test("fractions, negatives and -0 use f64", () => {
    for (const size of [1.5, -3, -0, 2 ** 40, Number.NaN, Infinity]) {
      const columns = expectSameBatch([
        withMetadata("a", { size }),
        withMetadata("b", {}),
      ]);
      const slot = tables.slotPaths.indexOf("metadata.size");
      const encoding = columns.slots[slot]?.encoding;
      expect(encoding, String(size)).toBe(Number.isFinite(size) ? "f64" : "u16");
    }
  });

  test("mixed elements keep their order", () => {
    expectSameBatch([
      // Typed metadata forbids nested arrays, but unchecked input can hold them.
      withMetadata("a", {
        tags: [1.5, "gpu", null, [1]],
        region: ["eu", "us"],
      } as unknown as Task["metadata"]),
      withMetadata("b", { tags: ["gpu"], region: "eu" }),
      withMetadata("c", { tags: [], region: [true] }),
    ]);
  });

  test("no completed task sends no bits", () => {
    const columns = expectSameBatch([withMetadata("a", {})]);
    expect(columns.completedBits).toBeNull();
  });
});

describe("expandColumns", () => {
  const tasks = [
    withMetadata("a", { region: "eu", tags: ["gpu"], size: 2.5 }),
    withMetadata("b", { region: "us", tags: [] }),
  ];

  function rejects(corrupt: (columns: ColumnBatch) => void): void {
    const columns = packColumns(tables, tasks);
    corrupt(columns);
    let error: unknown;
    try {
      expandColumns(tables, columns, new Int32Array(0));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RouterError);
    expect((error as RouterError).code).toBe("E_BAD_BATCH");
  }

  test("rejects a type id out of range", () => {
    rejects((columns) => {
      columns.taskType[0] = 200;
    });
  });

  test("rejects a kind outside the format", () => {
    const region = tables.slotPaths.indexOf("metadata.region");
    rejects((columns) => {
      const column = columns.slots[region]!;
      if (column.encoding === "f64") column.kinds[0] = 7;
      else column.codes[0] = 7;
    });
  });

  test("rejects arrays past the elements", () => {
    rejects((columns) => {
      columns.elements = { encoding: "u16", codes: new Uint16Array(0) };
    });
  });

  test("rejects predicate code 3", () => {
    rejects((columns) => {
      columns.predicateCodes[0] = 0xff;
    });
  });

  test("rejects a short column", () => {
    const size = tables.slotPaths.indexOf("metadata.size");
    rejects((columns) => {
      columns.slots[size] = {
        encoding: "f64",
        kinds: new Uint8Array(1),
        nums: new Float64Array(1),
      };
    });
  });
});
