/** Git details recorded with benchmark results, so numbers can be traced to code. */
import { execFileSync } from "node:child_process";

/** Returns the checked-out commit, with "+changes" when the tree has edits; null outside git. */
export function describeCommit(): string | null {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      encoding: "utf8",
    }).trim();
    const status = execFileSync(
      "git",
      ["status", "--porcelain", "--", "src", "assembly"],
      {
        encoding: "utf8",
      },
    );
    return status.trim() === "" ? commit : `${commit}+changes`;
  } catch {
    return null;
  }
}
