/**
 * Types for Comlink's Node adapter. comlink 4.4.2 ships
 * `dist/esm/node-adapter.mjs` without a declaration next to it.
 */
declare module "comlink/dist/esm/node-adapter.mjs" {
  import type { Endpoint } from "comlink";

  /** The part of a worker_threads Worker or MessagePort that the adapter uses. */
  export interface NodeEndpoint {
    postMessage(message: unknown, transfer?: readonly unknown[]): void;
    on(type: string, listener: (value: unknown) => void): void;
    off(type: string, listener: (value: unknown) => void): void;
    start?: () => void;
  }

  /** Wraps a worker_threads Worker or MessagePort as a Comlink endpoint. */
  export default function nodeEndpoint(endpoint: NodeEndpoint): Endpoint;
}
