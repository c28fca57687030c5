/** Task graph: building, ordering, cycles, depth and generations. */
export { layeredOrder, type LayeredOrderResult } from "./order.js";
export { buildGraph, type TaskGraph } from "./graph.js";
export { topologicalOrder, orderPlan } from "./topological.js";
export { findCycle } from "./cycle.js";
export { planDepth } from "./depth.js";
export { generations } from "./generations.js";
