/**
 * The task graph: lays the plan out with dagre and draws it as SVG. Every
 * task is a focusable node (one tab stop, arrow keys move along the routing
 * order); composite tasks draw a box around their children with the
 * composite's own node at its head. Plans above `FULL_VIEW_LIMIT` tasks draw
 * only `LIMITED_VIEW_SIZE` of them: the last task in routing order and what
 * it depends on, so the cut still shows a connected piece of the graph.
 */
import dagre from "@dagrejs/dagre";
import type { Task } from "../../../src/engine/index.js";
import { formatCount, svg } from "../lib/dom.js";
import { SKIPPED_FILL, UNASSIGNED_FILL } from "./colors.js";

export const FULL_VIEW_LIMIT = 250;
export const LIMITED_VIEW_SIZE = 120;

const NODE_WIDTH = 176;
const NODE_HEIGHT = 44;
const LABEL_CHARS = 24;

export type TaskOutcome =
  { kind: "assigned"; agent: string } | { kind: "unassigned" } | { kind: "skipped" };

export interface DagModel {
  tasks: readonly Task[];
  /** Task ids in routing order; drawing and keyboard order follow it. */
  order: readonly string[];
  outcomes: ReadonlyMap<string, TaskOutcome>;
  colors: ReadonlyMap<string, string>;
}

export interface DagView {
  /** Ids drawn, in routing order. */
  readonly shown: readonly string[];
  /** Marks a task as selected and moves the keyboard focus to it. */
  select(taskId: string, focus?: boolean): void;
}

interface Layout {
  width: number;
  height: number;
  nodes: Map<string, { x: number; y: number }>;
  clusters: Map<string, { x: number; y: number; width: number; height: number }>;
  edges: { points: { x: number; y: number }[]; hierarchy: boolean }[];
}

/** Draws `model` into `container` and calls `onSelect` when a task is chosen. */
export function renderDag(
  container: HTMLElement,
  model: DagModel,
  onSelect: (taskId: string) => void,
): DagView {
  const byId = new Map(model.tasks.map((task) => [task.id, task]));
  const shown =
    model.tasks.length > FULL_VIEW_LIMIT
      ? chooseLimitedView(model.order, byId)
      : model.order;
  const shownSet = new Set(shown);
  const composites = new Set<string>();
  for (const id of shown) {
    const parent = byId.get(id)?.parent;
    if (parent !== undefined && shownSet.has(parent)) composites.add(parent);
  }

  const layout = computeLayout(shown, byId, shownSet, composites);
  const root = svg("svg", {
    width: layout.width,
    height: layout.height,
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    role: "group",
    "aria-label": `Task graph showing ${formatCount(shown.length)} of ${formatCount(model.tasks.length)} tasks`,
  });
  root.append(arrowMarker());
  for (const [id, box] of layout.clusters) root.append(drawCluster(id, box));
  for (const edge of layout.edges) root.append(drawEdge(edge.points, edge.hierarchy));

  const nodes = new Map<string, SVGGElement>();
  for (const id of shown) {
    const task = byId.get(id);
    const position = layout.nodes.get(id);
    if (task === undefined || position === undefined) continue;
    const node = drawTask(task, position, model, composites.has(id));
    nodes.set(id, node);
    root.append(node);
  }

  let selected: string | undefined;
  const select = (taskId: string, focus = true): void => {
    const node = nodes.get(taskId);
    if (node === undefined) return;
    if (selected !== undefined) {
      const previous = nodes.get(selected);
      previous?.classList.remove("selected");
      previous?.setAttribute("tabindex", "-1");
      previous?.setAttribute("aria-pressed", "false");
    }
    selected = taskId;
    node.classList.add("selected");
    node.setAttribute("aria-pressed", "true");
    moveTabStop(node);
    if (focus) node.focus();
  };

  let tabStop: SVGGElement | undefined;
  const moveTabStop = (node: SVGGElement): void => {
    tabStop?.setAttribute("tabindex", "-1");
    node.setAttribute("tabindex", "0");
    tabStop = node;
  };
  const first = shown[0] === undefined ? undefined : nodes.get(shown[0]);
  if (first !== undefined) moveTabStop(first);

  root.addEventListener("click", (event) => {
    const id = taskIdOf(event.target);
    if (id === undefined) return;
    select(id);
    onSelect(id);
  });
  root.addEventListener("keydown", (event) => {
    const id = taskIdOf(event.target);
    if (id === undefined) return;
    const position = shown.indexOf(id);
    const target = keyTarget(event.key, position, shown.length);
    if (target === "activate") {
      event.preventDefault();
      select(id);
      onSelect(id);
    } else if (target !== undefined) {
      event.preventDefault();
      const next = nodes.get(shown[target]!);
      if (next !== undefined) {
        moveTabStop(next);
        next.focus();
      }
    }
  });

  container.replaceChildren(root);
  return { shown, select };
}

/**
 * Picks the last task in routing order and walks back through its
 * dependencies and parents, breadth first, until the view is full; the rest
 * of the view is filled with the earliest tasks. Returns ids in routing order.
 */
function chooseLimitedView(
  order: readonly string[],
  byId: ReadonlyMap<string, Task>,
): string[] {
  const chosen = new Set<string>();
  const last = order[order.length - 1];
  const queue = last === undefined ? [] : [last];
  for (let head = 0; head < queue.length && chosen.size < LIMITED_VIEW_SIZE; head++) {
    const id = queue[head]!;
    if (chosen.has(id)) continue;
    chosen.add(id);
    const task = byId.get(id);
    if (task === undefined) continue;
    queue.push(...task.dependsOn);
    if (task.parent !== undefined) queue.push(task.parent);
  }
  for (const id of order) {
    if (chosen.size >= LIMITED_VIEW_SIZE) break;
    chosen.add(id);
  }
  return order.filter((id) => chosen.has(id));
}

/** Maps a key to "activate", a new position in the order, or nothing. */
function keyTarget(
  key: string,
  position: number,
  count: number,
): number | "activate" | undefined {
  switch (key) {
    case "Enter":
    case " ":
      return "activate";
    case "ArrowRight":
    case "ArrowDown":
      return Math.min(position + 1, count - 1);
    case "ArrowLeft":
    case "ArrowUp":
      return Math.max(position - 1, 0);
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return undefined;
  }
}

function taskIdOf(target: EventTarget | null): string | undefined {
  if (!(target instanceof Element)) return undefined;
  return target.closest<SVGGElement>("g.task")?.dataset.task;
}

function computeLayout(
  shown: readonly string[],
  byId: ReadonlyMap<string, Task>,
  shownSet: ReadonlySet<string>,
  composites: ReadonlySet<string>,
): Layout {
  const graph = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  graph.setGraph({ rankdir: "LR", nodesep: 18, ranksep: 46, marginx: 12, marginy: 12 });
  graph.setDefaultEdgeLabel(() => ({}));

  for (const id of composites)
    graph.setNode(clusterId(id), { label: id, paddingTop: 18 });
  for (const id of shown) {
    graph.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
    if (composites.has(id)) graph.setParent(id, clusterId(id));
    const parent = byId.get(id)?.parent;
    if (parent !== undefined && composites.has(parent)) {
      graph.setParent(composites.has(id) ? clusterId(id) : id, clusterId(parent));
    }
  }

  const drawn: { from: string; to: string; hierarchy: boolean }[] = [];
  for (const id of shown) {
    const task = byId.get(id)!;
    for (const dependency of task.dependsOn) {
      if (!shownSet.has(dependency)) continue;
      graph.setEdge(dependency, id, { weight: 2 });
      drawn.push({ from: dependency, to: id, hierarchy: false });
    }
    // A dotted edge from a composite's head to each child keeps the head
    // before its children and shows the refinement.
    if (
      task.parent !== undefined &&
      composites.has(task.parent) &&
      !graph.hasEdge(task.parent, id)
    ) {
      graph.setEdge(task.parent, id, { weight: 1, minlen: 1 });
      drawn.push({ from: task.parent, to: id, hierarchy: true });
    }
  }

  dagre.layout(graph);

  const nodes = new Map<string, { x: number; y: number }>();
  for (const id of shown) {
    const node = graph.node(id);
    if (node?.x !== undefined && node.y !== undefined)
      nodes.set(id, { x: node.x, y: node.y });
  }
  const clusters = new Map<
    string,
    { x: number; y: number; width: number; height: number }
  >();
  for (const id of composites) {
    const node = graph.node(clusterId(id));
    if (node?.x === undefined || node.y === undefined) continue;
    clusters.set(id, { x: node.x, y: node.y, width: node.width, height: node.height });
  }
  const edges = drawn.map(({ from, to, hierarchy }) => ({
    points: graph.edge(from, to)?.points ?? [],
    hierarchy,
  }));
  const label = graph.graph();
  return {
    width: Math.ceil((label.width ?? 0) + 2),
    height: Math.ceil((label.height ?? 0) + 2),
    nodes,
    clusters,
    edges,
  };
}

function clusterId(taskId: string): string {
  return `cluster\u0000${taskId}`;
}

function arrowMarker(): SVGDefsElement {
  return svg(
    "defs",
    {},
    svg(
      "marker",
      {
        id: "dag-arrow",
        viewBox: "0 0 10 10",
        refX: 9,
        refY: 5,
        markerWidth: 7,
        markerHeight: 7,
        orient: "auto-start-reverse",
      },
      svg("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrowhead" }),
    ),
  );
}

function drawCluster(
  id: string,
  box: { x: number; y: number; width: number; height: number },
): SVGGElement {
  const left = box.x - box.width / 2;
  const top = box.y - box.height / 2;
  return svg(
    "g",
    { "aria-hidden": "true" },
    svg("rect", {
      class: "cluster",
      x: left,
      y: top,
      width: box.width,
      height: box.height,
      rx: 8,
    }),
    svg(
      "text",
      { class: "cluster-label", x: left + 8, y: top + 13 },
      `${truncate(id, 40)} (composite)`,
    ),
  );
}

function drawEdge(
  points: readonly { x: number; y: number }[],
  hierarchy: boolean,
): SVGPathElement {
  const d = points
    .map((point, index) => `${index === 0 ? "M" : "L"} ${point.x} ${point.y}`)
    .join(" ");
  return svg("path", {
    class: hierarchy ? "edge hierarchy" : "edge",
    d,
    "marker-end": hierarchy ? null : "url(#dag-arrow)",
  });
}

function drawTask(
  task: Task,
  position: { x: number; y: number },
  model: DagModel,
  composite: boolean,
): SVGGElement {
  const outcome = model.outcomes.get(task.id);
  const agentLabel = outcomeLabel(outcome);
  const fill =
    outcome?.kind === "assigned"
      ? (model.colors.get(outcome.agent) ?? UNASSIGNED_FILL)
      : outcome?.kind === "skipped"
        ? SKIPPED_FILL
        : UNASSIGNED_FILL;
  const left = position.x - NODE_WIDTH / 2;
  const top = position.y - NODE_HEIGHT / 2;

  return svg(
    "g",
    {
      class: `task${outcome?.kind === "unassigned" ? " unassigned" : ""}`,
      "data-task": task.id,
      tabindex: -1,
      role: "button",
      "aria-pressed": "false",
      "aria-label": `Task ${task.id}, type ${task.type}${composite ? ", composite" : ""}, ${agentLabel}`,
    },
    svg("title", {}, `${task.id} (${task.type}): ${task.description}`),
    svg("rect", {
      class: "focus-ring",
      x: left - 4,
      y: top - 4,
      width: NODE_WIDTH + 8,
      height: NODE_HEIGHT + 8,
      rx: 9,
    }),
    svg("rect", {
      x: left,
      y: top,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      rx: 6,
      fill,
      "stroke-dasharray": outcome?.kind === "unassigned" ? "5 3" : null,
    }),
    svg(
      "text",
      { class: "task-id", x: left + 8, y: top + 17 },
      truncate(task.id, LABEL_CHARS),
    ),
    svg(
      "text",
      { x: left + 8, y: top + 34 },
      truncate(`${task.type} · ${agentLabel}`, LABEL_CHARS + 4),
    ),
  );
}

function outcomeLabel(outcome: TaskOutcome | undefined): string {
  switch (outcome?.kind) {
    case "assigned":
      return outcome.agent;
    case "skipped":
      return "skipped (completed)";
    case "unassigned":
      return "unassigned";
    case undefined:
      return "not routed";
    default:
      return outcome satisfies never;
  }
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
