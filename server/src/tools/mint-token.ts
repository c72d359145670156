/**
 * Mints development tokens (the library behind `npm run token`).
 * Signs with JWT_SECRET (or the development secret the gateway uses), or with a PEM private key
 * given by --private-key (RS256 for RSA keys, ES256 for EC keys).
 */
import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import jwt from "jsonwebtoken";
import { ALL_UNITS, Role, UNIT_ID_PATTERN, type Role as RoleName } from "@care-gateway/shared";
import { loadConfig } from "../config/load-config.js";

export const USAGE = `usage: npm run token -- --role <unit|portal|bridge|admin|api> --sub <id> [options]
  --units U-1,U-2   portal only: the units the token may reach ("*" for all)
  --scope "..."     space-separated scopes, e.g. "request:appointment.* publish:*"
  --ttl 3600        lifetime in seconds (default 3600)
  --private-key F   sign RS256/ES256 with this PEM private key instead of the HS256 secret
Issuer and audience come from JWT_ISSUER and JWT_AUDIENCE when set.`;

export function mintToken(argv: string[], env: NodeJS.ProcessEnv = process.env): string {
  const { values } = parseArgs({
    args: argv,
    options: {
      role: { type: "string" },
      sub: { type: "string" },
      units: { type: "string" },
      scope: { type: "string" },
      ttl: { type: "string", default: "3600" },
      "private-key": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) throw new UsageError("");
  const role = values.role as RoleName | undefined;
  if (!role || !(Object.values(Role) as string[]).includes(role)) throw new UsageError("--role must be one of unit, portal, bridge, admin, api");
  if (!values.sub) throw new UsageError("--sub is required");
  if (role === Role.UNIT && !UNIT_ID_PATTERN.test(values.sub)) throw new UsageError(`--sub must match ${UNIT_ID_PATTERN} for a unit`);
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new UsageError("--ttl must be a positive whole number of seconds");
  const claims: Record<string, unknown> = { role };
  if (values.units !== undefined) {
    if (role !== Role.PORTAL) throw new UsageError("--units is for portal tokens");
    const units = values.units.split(",").map((u) => u.trim()).filter(Boolean);
    for (const unit of units) if (unit !== ALL_UNITS && !UNIT_ID_PATTERN.test(unit)) throw new UsageError(`--units: ${unit} is not a unit id`);
    claims["units"] = units;
  }
  if (values.scope !== undefined) claims["scope"] = values.scope;
  const config = loadConfig(env);
  const common = {
    subject: values.sub,
    expiresIn: ttl,
    ...(config.jwt.issuer ? { issuer: config.jwt.issuer } : {}),
    ...(config.jwt.audience ? { audience: config.jwt.audience } : {}),
  };
  const keyFile = values["private-key"];
  if (keyFile) {
    const key = createPrivateKey(readFileSync(keyFile, "utf8"));
    const algorithm = key.asymmetricKeyType === "ec" ? "ES256" : "RS256";
    return jwt.sign(claims, key, { ...common, algorithm });
  }
  if (!config.jwt.secret) throw new UsageError("no JWT_SECRET is configured: pass --private-key to sign with RS256/ES256");
  return jwt.sign(claims, config.jwt.secret, { ...common, algorithm: "HS256" });
}

export class UsageError extends Error {}
