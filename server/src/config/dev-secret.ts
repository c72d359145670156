/**
 * Development only: a random HS256 secret generated once and kept in a file that git ignores, so
 * the gateway and `npm run token` agree without anyone choosing a guessable secret.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

export const DEV_SECRET_FILE = ".care-gateway/dev-secret";

export function devSecretPath(cwd: string = process.cwd()): string {
  return resolve(cwd, DEV_SECRET_FILE);
}

/** Reads the development secret, creating it (mode 0600) when it does not exist yet. */
export function loadOrCreateDevSecret(path: string = devSecretPath()): string {
  try {
    const existing = readFileSync(path, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const secret = randomBytes(32).toString("base64url");
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}
