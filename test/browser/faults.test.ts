/**
 * Faults of the browser router and store in real Chromium. The router gets
 * a WASM module that fails to load or compile, WebAssembly blocked by a
 * Content Security Policy or absent, aborted calls and calls in flight at
 * terminate(). The store gets a quota error reported at commit. A crash
 * mid-call and timeouts are tested in worker.test.ts.
 */

import { afterEach, describe, expect, test, vi } from "vitest";
import { RouterError } from "../../src/engine/errors.js";
import type { RuleSet } from "../../src/engine/types.js";
import { QuotaExceededError } from "../../src/store/index.js";
import type { RouterClient } from "../../src/worker/client.js";
import { capacityRuleSet, plan, task, trackRouters } from "../worker-fixtures.js";
import { makeRuleSet, openTestStore } from "./store-harness.js";

const { startRouter, terminateRouters } = trackRouters();
const cleanups: (() => void)[] = [];

afterEach(() => {
  terminateRouters();
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const rules: RuleSet = capacityRuleSet("faults", [
  {
    id: "gpu",
    priority: 5,
    when: { field: "metadata.gpu", op: "eq", value: true },
    agent: "B",
    explanation: "needs a GPU",
  },
]);

const threeTasks = plan([
  task("t1", "t"),
  task("t2", "t"),
  task("t3", "t", { metadata: { gpu: true } }),
]);

/** Checks that the router runs JS, names `reason`, and routes like the WASM path. */
async function expectJsFallback(router: RouterClient, reason: string): Promise<void> {
  const stats = await router.stats();
  expect(stats.engine).toBe("js");
  expect(stats.memoryBytes).toBe(0);
  expect(stats.fallbackReason).toContain(reason);

  const result = await router.route(threeTasks);
  expect(result.assignments.map((a) => [a.task, a.agent, a.via])).toEqual([
    ["t1", "A", "rule"],
    ["t2", "B", "capability"],
    ["t3", "B", "rule"],
  ]);
  expect(result.assignments[1]!.explanation).toContain("A is at capacity 1/1");
}

/** Returns a same-origin Blob URL, revoked after the test. */
function blobUrl(parts: BlobPart[], type: string): string {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  cleanups.push(() => URL.revokeObjectURL(url));
  return url;
}

describe("WASM that fails to load", () => {
  test("Blob of text falls back to JS", async () => {
    const url = blobUrl(["this is not a WebAssembly module"], "application/wasm");
    const router = await startRouter({ ruleSet: rules, wasmUrl: url });
    await expectJsFallback(router, "the WASM matcher failed to load");
  });

  test("truncated module falls back to JS", async () => {
    const real = await fetch(new URL("../../build/release.wasm", import.meta.url));
    const bytes = new Uint8Array(await real.arrayBuffer());
    expect(bytes.byteLength).toBeGreaterThan(16);
    const url = blobUrl([bytes.slice(0, 16)], "application/wasm");
    const router = await startRouter({ ruleSet: rules, wasmUrl: url });
    await expectJsFallback(router, "the WASM matcher failed to load");
  });

  test("served text file falls back to JS", async () => {
    const url = new URL("./faults.test.ts", import.meta.url);
    expect((await fetch(url)).ok).toBe(true);
    const router = await startRouter({ ruleSet: rules, wasmUrl: url });
    await expectJsFallback(router, "the WASM matcher failed to load");
  });

  test("missing file falls back to JS", async () => {
    const url = new URL("../../build/no-such-matcher.wasm", import.meta.url);
    const router = await startRouter({ ruleSet: rules, wasmUrl: url });
    await expectJsFallback(router, "HTTP 404");
  });
});

describe("WASM blocked in the worker realm", () => {
  test("global WebAssembly removed falls back to JS", async () => {
    const workerUrl = new URL(
      "./fault-workers/no-webassembly.worker.ts",
      import.meta.url,
    );
    const router = await startRouter({ ruleSet: rules, workerUrl });
    await expectJsFallback(router, "WebAssembly is not available");
  });

  test("CSP without wasm-unsafe-eval falls back to JS", async () => {
    // A Blob worker takes the policy of the document that creates it, so the
    // worker is created by a same-origin frame whose meta tag sets the CSP.
    const frame = document.createElement("iframe");
    frame.srcdoc =
      '<!doctype html><meta http-equiv="Content-Security-Policy" ' +
      "content=\"script-src 'self' blob:\"><title>csp</title>";
    const loaded = new Promise((resolve) => frame.addEventListener("load", resolve));
    document.body.append(frame);
    cleanups.push(() => frame.remove());
    await loaded;
    const realm = frame.contentWindow as (Window & typeof globalThis) | null;
    expect(realm).not.toBeNull();

    const entry = new URL("../../src/worker/browser-entry.ts", import.meta.url).href;
    const source = new realm!.Blob([`import ${JSON.stringify(entry)};`], {
      type: "text/javascript",
    });
    const workerUrl = realm!.URL.createObjectURL(source);
    cleanups.push(() => realm!.URL.revokeObjectURL(workerUrl));
    vi.stubGlobal("Worker", realm!.Worker);

    const router = await startRouter({ ruleSet: rules, workerUrl });
    await expectJsFallback(router, "the WASM matcher failed to load");
    expect((await router.stats()).fallbackReason).toMatch(/Content Security Policy|eval/);
  });
});

describe("aborts and shutdown", () => {
  test("abort mid-call rejects with its reason", async () => {
    const router = await startRouter({ ruleSet: rules });
    const controller = new AbortController();
    const big = plan(Array.from({ length: 100_000 }, (_, i) => task(`a${i}`, "t")));
    const call = router.route(big, { signal: controller.signal });
    controller.abort(new Error("user left the page"));
    await expect(call).rejects.toThrow("user left the page");
    expect((await router.route(threeTasks)).assignments).toHaveLength(3);
  });

  test("aborted signal rejects before sending", async () => {
    const router = await startRouter({ ruleSet: rules });
    const before = (await router.stats()).routedBatches;
    const error = await router
      .route(threeTasks, { signal: AbortSignal.abort() })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((await router.stats()).routedBatches).toBe(before);
  });

  test("abort during a slow start rejects", async () => {
    const router = await startRouter({ initDelayMs: 3_000 });
    const controller = new AbortController();
    const call = router.loadRuleSet(rules, { signal: controller.signal });
    controller.abort();
    const error = await call.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("AbortError");
  });

  test("terminate rejects every call in flight", async () => {
    const router = await startRouter({ ruleSet: rules });
    const big = plan(Array.from({ length: 50_000 }, (_, i) => task(`z${i}`, "t")));
    const calls = [router.route(big), router.stats(), router.trace(threeTasks, "t1")].map(
      (call) => call.catch((caught: unknown) => caught),
    );
    router.terminate();
    const errors = await Promise.all(calls);
    for (const error of errors) {
      expect(error).toBeInstanceOf(RouterError);
      expect((error as RouterError).code).toBe("E_TERMINATED");
    }
  });
});

describe("quota error at commit", () => {
  test("save rejects and keeps version 1", async () => {
    const store = await openTestStore();
    await store.save(makeRuleSet("default", "A"));

    // Browsers report a full origin when the transaction commits. The
    // request succeeds, then the transaction aborts with this error.
    const quota = new DOMException("The quota has been exceeded.", "QuotaExceededError");
    const originalPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, "put").mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore["put"]>
    ) {
      const request = originalPut.apply(this, args);
      const tx = this.transaction;
      if (this.name === "rulesets") {
        request.addEventListener("success", () => {
          Object.defineProperty(tx, "error", { get: () => quota });
          tx.abort();
        });
      }
      return request;
    });

    const error = await store
      .save(makeRuleSet("default", "B"))
      .catch((caught: unknown) => caught);
    vi.restoreAllMocks();

    expect(error).toBeInstanceOf(QuotaExceededError);
    expect((error as Error).name).toBe("QuotaExceededError");
    const latest = await store.load("default");
    expect(latest.version).toBe(1);
    expect(latest.ruleSet.rules[0]?.agent).toBe("A");
  });
});
