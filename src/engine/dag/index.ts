/** Task graph: building, ordering, cycles, depth and generations. */
export { layeredOrder, type LayeredOrderResult } from "./order.js";
