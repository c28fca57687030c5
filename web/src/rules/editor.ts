/**
 * The JSON editor: a textarea with a line-number gutter that scrolls with
 * it, problem markers in the gutter, and jumping to a line.
 */

export interface JsonEditor {
  readonly textarea: HTMLTextAreaElement;
  getText(): string;
  /** Replaces the text; `markClean` makes it the saved baseline. */
  setText(text: string): void;
  /** Marks these 1-based lines as having problems. */
  markLines(lines: ReadonlySet<number>): void;
  /** Selects the start of `line` and scrolls it into view. */
  goToLine(line: number, column?: number): void;
}

/** Lines numbered in the gutter; a longer text goes unnumbered past it. */
const GUTTER_LINE_LIMIT = 100_000;

export function createJsonEditor(
  textarea: HTMLTextAreaElement,
  gutter: HTMLElement,
  onInput: () => void,
): JsonEditor {
  let lineCount = 0;
  let marked: ReadonlySet<number> = new Set();

  const renderGutter = (): void => {
    const count = Math.min(countLines(textarea.value), GUTTER_LINE_LIMIT);
    if (count === lineCount && marked.size === 0) return;
    lineCount = count;
    const fragment = document.createDocumentFragment();
    for (let line = 1; line <= count; line++) {
      const span = document.createElement("span");
      span.textContent = `${line}\n`;
      if (marked.has(line)) span.className = "has-problem";
      fragment.append(span);
    }
    gutter.replaceChildren(fragment);
    gutter.scrollTop = textarea.scrollTop;
  };

  textarea.addEventListener("input", () => {
    renderGutter();
    onInput();
  });
  textarea.addEventListener("scroll", () => {
    gutter.scrollTop = textarea.scrollTop;
  });
  textarea.addEventListener("keydown", (event) => {
    // Tab indents inside the editor; Escape then Tab leaves it, so keyboard
    // users are never trapped.
    if (event.key === "Tab" && !event.shiftKey && textarea.dataset.escaped !== "true") {
      event.preventDefault();
      textarea.setRangeText("  ", textarea.selectionStart, textarea.selectionEnd, "end");
      textarea.dispatchEvent(new Event("input"));
    }
    textarea.dataset.escaped = event.key === "Escape" ? "true" : "false";
  });

  return {
    textarea,
    getText: () => textarea.value,
    setText(text) {
      textarea.value = text;
      textarea.scrollTop = 0;
      lineCount = -1;
      renderGutter();
    },
    markLines(lines) {
      marked = lines;
      lineCount = -1;
      renderGutter();
    },
    goToLine(line, column = 1) {
      const lines = textarea.value.split("\n");
      let offset = 0;
      for (let i = 0; i < line - 1 && i < lines.length; i++)
        offset += lines[i]!.length + 1;
      offset += column - 1;
      textarea.focus();
      textarea.setSelectionRange(offset, offset);
      const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 18;
      textarea.scrollTop = Math.max(0, (line - 4) * lineHeight);
      gutter.scrollTop = textarea.scrollTop;
    },
  };
}

function countLines(text: string): number {
  let count = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) count++;
  return count;
}
