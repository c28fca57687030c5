/** Version history rows and the rendered line diff between two versions. */
import { formatCount, h } from "../lib/dom.js";
import type { VersionInfo } from "../../../src/store/index.js";
import type { DiffLine } from "./line-diff.js";

/** Unchanged lines kept around each change; longer unchanged runs fold. */
const CONTEXT_LINES = 3;

export function describeOrigin(info: VersionInfo): string {
  const origin = info.origin;
  switch (origin.kind) {
    case "save":
      return "saved";
    case "import":
      return "imported";
    case "restore":
      return `restored from v${origin.fromVersion}`;
    case "rename":
      return `renamed from "${origin.fromName}"`;
    default:
      return origin satisfies never;
  }
}

/** Renders the version list, newest first, with a Restore button on older versions. */
export function renderHistory(
  list: HTMLOListElement,
  versions: readonly VersionInfo[],
  onRestore: (version: number) => void,
): void {
  const newest = versions.reduce((max, info) => Math.max(max, info.version), 0);
  const rows = [...versions]
    .sort((a, b) => b.version - a.version)
    .map((info) => {
      const restore =
        info.version === newest
          ? h("span", { class: "badge pass" }, "latest")
          : h(
              "button",
              {
                type: "button",
                "data-restore": info.version,
                "aria-label": `Restore version ${info.version}`,
              },
              "Restore",
            );
      restore.addEventListener("click", () => onRestore(info.version));
      return h(
        "li",
        { value: info.version },
        h(
          "div",
          { class: "version-row" },
          h(
            "span",
            {},
            h("strong", {}, `v${info.version}`),
            ` · ${describeOrigin(info)} · `,
            h(
              "time",
              { datetime: new Date(info.savedAt).toISOString() },
              formatTime(info.savedAt),
            ),
            " · ",
            h("code", { title: info.hash }, info.hash.slice(0, 8)),
          ),
          restore,
        ),
      );
    });
  list.replaceChildren(...rows);
}

function lineCount(count: number): string {
  return `${formatCount(count)} ${count === 1 ? "line" : "lines"}`;
}

function formatTime(epochMs: number): string {
  return new Date(epochMs).toLocaleString("en-GB", {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

/** Renders a diff with folded unchanged runs and a one-line summary. */
export function renderDiff(container: HTMLElement, lines: readonly DiffLine[]): void {
  const added = lines.filter((line) => line.kind === "added").length;
  const removed = lines.filter((line) => line.kind === "removed").length;
  if (added === 0 && removed === 0) {
    container.replaceChildren(
      h("p", { class: "muted" }, "The two versions are identical."),
    );
    return;
  }

  const keep = new Uint8Array(lines.length);
  lines.forEach((line, index) => {
    if (line.kind === "same") return;
    const from = Math.max(0, index - CONTEXT_LINES);
    const to = Math.min(lines.length - 1, index + CONTEXT_LINES);
    keep.fill(1, from, to + 1);
  });

  const rows: HTMLElement[] = [
    h(
      "p",
      { class: "muted" },
      `${lineCount(added)} added, ${lineCount(removed)} removed`,
    ),
  ];
  let folded = 0;
  const flushFold = (): void => {
    if (folded === 0) return;
    rows.push(h("div", { class: "gap" }, `… ${lineCount(folded)} unchanged`));
    folded = 0;
  };
  lines.forEach((line, index) => {
    if (keep[index] === 0) {
      folded++;
      return;
    }
    flushFold();
    const [oldNumber, newNumber, sign, kind] =
      line.kind === "same"
        ? [line.oldNumber, line.newNumber, " ", "same"]
        : line.kind === "removed"
          ? [line.oldNumber, "", "−", "removed"]
          : ["", line.newNumber, "+", "added"];
    rows.push(
      h(
        "div",
        { class: `diff-line ${kind}` },
        h("span", {}, oldNumber),
        h("span", {}, newNumber),
        h("span", {}, sign),
        h("span", {}, line.text),
      ),
    );
  });
  flushFold();
  container.replaceChildren(...rows);
}
