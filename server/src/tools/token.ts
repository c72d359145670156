#!/usr/bin/env node
/** `npm run token -- --role unit --sub U-001`: prints a signed development token (see mint-token.ts). */
import { ConfigError } from "../config/key-algorithms.js";
import { USAGE, UsageError, mintToken } from "./mint-token.js";

try {
  process.stdout.write(`${mintToken(process.argv.slice(2))}\n`);
} catch (error) {
  const parseError = (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ?? false;
  if (!(error instanceof UsageError || error instanceof ConfigError || parseError)) throw error;
  if (error instanceof Error && error.message) process.stderr.write(`token: ${error.message}\n`);
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
