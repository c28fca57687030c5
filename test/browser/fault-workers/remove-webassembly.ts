/** Removes WebAssembly from the worker's global scope before the router loads. */
delete (globalThis as { WebAssembly?: unknown }).WebAssembly;
