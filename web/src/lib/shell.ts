/** Page chrome shared by every page: notices, connection status, service worker. */
import "../styles.css";
import { byId, h } from "./dom.js";
import { describeError } from "./errors.js";

export type NoticeKind = "error" | "info" | "success";

/** Shows a dismissible notice at the top of the page and returns it. */
export function showNotice(kind: NoticeKind, text: string): HTMLElement {
  const close = h(
    "button",
    { type: "button", class: "quiet", "aria-label": "Dismiss" },
    "Dismiss",
  );
  const notice = h(
    "div",
    { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" },
    h("p", {}, text),
    close,
  );
  close.addEventListener("click", () => notice.remove());
  byId("notices").append(notice);
  if (kind !== "error") setTimeout(() => notice.remove(), 8000);
  return notice;
}

/** Shows `error` as an error notice in words. */
export function showError(context: string, error: unknown): HTMLElement {
  return showNotice("error", `${context}: ${describeError(error)}`);
}

/** Removes every notice. */
export function clearNotices(): void {
  byId("notices").replaceChildren();
}

function showConnection(): void {
  const status = byId("app-status");
  const offline = !navigator.onLine;
  const ready = navigator.serviceWorker?.controller != null;
  status.textContent = offline
    ? ready
      ? "Offline: running from the local copy"
      : "Offline"
    : ready
      ? "Available offline"
      : "";
}

async function registerServiceWorker(): Promise<void> {
  if (!("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register(new URL("./sw.js", document.baseURI), {
      scope: "./",
    });
    await navigator.serviceWorker.ready;
    showConnection();
  } catch (error) {
    showNotice("info", `Offline use is unavailable: ${describeError(error)}`);
  }
}

/** Sets up the shared page chrome; call once at the start of each page. */
export function initShell(): void {
  window.addEventListener("online", showConnection);
  window.addEventListener("offline", showConnection);
  navigator.serviceWorker?.addEventListener("controllerchange", showConnection);
  window.addEventListener("unhandledrejection", (event) => {
    showError("Unexpected failure", event.reason);
  });
  showConnection();
  // The dev server serves sources, not the precached build.
  if (import.meta.env.PROD) void registerServiceWorker();
}
