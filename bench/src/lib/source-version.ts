/**
 * Which gateway source a run measured: the git commit, and whether server/ or shared/ had
 * uncommitted changes (the figures then belong to the working tree, not to the commit).
 */
import { execFileSync } from "node:child_process";
import { REPO_ROOT } from "./paths.js";

export function gatewaySourceVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const commit = git("rev-parse", "--short", "HEAD");
    const dirty = git("status", "--porcelain", "--", "server", "shared") !== "";
    return dirty ? `${commit} + uncommitted changes in server/ or shared/` : commit;
  } catch {
    return "unknown (not a git checkout)";
  }
}
