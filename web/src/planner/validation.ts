/** Starts the validation worker per request and cancels by terminating it. */
import type {
  Plan,
  RouteResult,
  RuleSet,
  ValidationResult,
} from "../../../src/engine/index.js";
import type { ValidateResponse } from "./validate.worker.js";

export function validateInWorker(
  plan: Plan,
  route: RouteResult,
  ruleSet: RuleSet,
  signal: AbortSignal,
): Promise<ValidationResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./validate.worker.ts", import.meta.url), {
      type: "module",
    });
    const finish = (): void => {
      worker.terminate();
      signal.removeEventListener("abort", onAbort);
    };
    const onAbort = (): void => {
      finish();
      reject(new DOMException("Validation was cancelled.", "AbortError"));
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort);
    worker.addEventListener("message", (event: MessageEvent<ValidateResponse>) => {
      finish();
      const response = event.data;
      if (response.ok) resolve(response.result);
      else reject(Object.assign(new Error(response.message), { name: response.name }));
    });
    worker.addEventListener("error", (event) => {
      finish();
      reject(
        new Error(`The validation worker failed: ${event.message || "unknown error"}`),
      );
    });
    worker.postMessage({ plan, route, ruleSet });
  });
}
