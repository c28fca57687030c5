/** File and stream access for the CLI: the only module that reads files. */

import { open } from "node:fs/promises";
import { LIMITS } from "../engine/limits.js";
import { InputError } from "./errors.js";

/**
 * Input files larger than this, in bytes, are rejected before they are parsed
 * (`LIMITS.maxInputFileBytes`).
 */
export const MAX_INPUT_BYTES = LIMITS.maxInputFileBytes.value;

/** Output writers and standard input of a command; writers receive whole lines ending in "\n". */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of standard input; used by `plan` when no goal argument is given. */
  readStdin?: () => Promise<string>;
  /** Whether standard input is a terminal (then `plan` does not wait on it). */
  stdinIsTty?: boolean;
}

/** Reads a UTF-8 text file of at most MAX_INPUT_BYTES. */
export async function readTextFile(path: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw new InputError(`${path}: ${describeFsError(error)}`);
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory())
      throw new InputError(`${path}: is a directory, expected a file`);
    if (stats.size > MAX_INPUT_BYTES) throw tooLarge(path, stats.size);
    // Read one byte past the limit, so a file that grows after stat is still caught.
    const buffer = Buffer.alloc(Math.min(stats.size, MAX_INPUT_BYTES) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(
        buffer,
        length,
        buffer.length - length,
        length,
      );
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_INPUT_BYTES) throw tooLarge(path, length);
    return decodeUtf8(path, buffer.subarray(0, length));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${path}: ${describeFsError(error)}`);
  } finally {
    await handle.close();
  }
}

/** Reads and parses a JSON file; syntax errors name the file. */
export async function readJsonFile(path: string): Promise<unknown> {
  const text = await readTextFile(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InputError(`${path}: invalid JSON: ${detail}`);
  }
}

function decodeUtf8(path: string, bytes: Uint8Array): string {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return text.startsWith("\uFEFF") ? text.slice(1) : text;
  } catch {
    throw new InputError(`${path}: invalid UTF-8; save the file as UTF-8 text`);
  }
}

function tooLarge(path: string, size: number): InputError {
  const mib = (size / (1024 * 1024)).toFixed(1);
  const limitMib = MAX_INPUT_BYTES / (1024 * 1024);
  return new InputError(
    `${path}: file is ${mib} MiB, over the ${limitMib} MiB input limit ` +
      `(maxInputFileBytes = ${MAX_INPUT_BYTES} bytes)`,
  );
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case "ENOENT":
      return "file not found";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory, expected a file";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
