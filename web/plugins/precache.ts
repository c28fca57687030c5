import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import type { Plugin, ResolvedConfig } from "vite";

export interface PrecacheOptions {
  /** Service worker template, relative to the Vite root. */
  swSource: string;
  /** Name of the written service worker, relative to the build output. */
  swFileName?: string;
}

/** The placeholder in the template that receives the manifest object. */
const MANIFEST_PLACEHOLDER = "self.__PRECACHE_MANIFEST__";

/**
 * Writes the service worker into the build output with a precache manifest
 * of every file the build produced (pages, chunks, workers, WASM, public
 * files). The cache name carries a hash of the contents, so a new build
 * replaces the old cache. Runs after the bundle is written, when the worker
 * bundles and copied public files are on disk too.
 */
export function precacheServiceWorker(options: PrecacheOptions): Plugin {
  const swFileName = options.swFileName ?? "sw.js";
  let config: ResolvedConfig;

  return {
    name: "switchyard:precache-service-worker",
    apply: "build",
    configResolved(resolved) {
      config = resolved;
    },
    async writeBundle() {
      const outDir = resolve(config.root, config.build.outDir);
      const files = (await listFiles(outDir))
        .filter((file) => file !== swFileName)
        .sort();
      const hash = createHash("sha256");
      for (const file of files) {
        hash.update(file);
        hash.update(await readFile(join(outDir, file)));
      }
      const manifest = {
        version: hash.digest("hex").slice(0, 16),
        files: ["./", ...files.map((file) => `./${file}`)],
      };
      const template = await readFile(resolve(config.root, options.swSource), "utf8");
      if (!template.includes(MANIFEST_PLACEHOLDER)) {
        throw new Error(
          `${options.swSource} has no ${MANIFEST_PLACEHOLDER} placeholder; ` +
            "add it where the precache manifest belongs.",
        );
      }
      const source = template.replace(MANIFEST_PLACEHOLDER, JSON.stringify(manifest));
      await writeFile(join(outDir, swFileName), source);
    },
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.name.endsWith(".map"))
    .map((entry) =>
      relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"),
    );
}
