/** The bridge's own /bridge token, as a provider the SDK calls on every connect attempt. */
import { readFile } from "node:fs/promises";
import { Role } from "@care-gateway/shared";
import type { TokenProvider } from "@care-gateway/client-sdk";
import jwt from "jsonwebtoken";
import type { BridgeTokenSource } from "./config.js";

/** Lifetime of a development token; the SDK refreshes it on `auth:expiring` by calling the provider again. */
const DEV_TOKEN_LIFETIME_S = 3600;

export function bridgeTokenProvider(source: BridgeTokenSource): TokenProvider {
  switch (source.kind) {
    case "static":
      return source.token;
    case "file":
      return async () => (await readFile(source.path, "utf8")).trim();
    case "dev":
      return () => jwt.sign({ role: Role.BRIDGE }, source.secret, { algorithm: "HS256", subject: source.sub, expiresIn: DEV_TOKEN_LIFETIME_S });
  }
}

export function describeTokenSource(source: BridgeTokenSource): string {
  switch (source.kind) {
    case "static":
      return "BRIDGE_TOKEN";
    case "file":
      return `BRIDGE_TOKEN_FILE (${source.path}, read on every connect)`;
    case "dev":
      return `minted with the development secret for sub ${source.sub} (development only)`;
  }
}
