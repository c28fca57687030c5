/**
 * Router worker entry without WebAssembly: the first import deletes the
 * global, then the real browser entry evaluates, as in a worker realm where
 * the host never offered WebAssembly.
 */
import "./remove-webassembly.js";
import "../../../src/worker/browser-entry.js";
