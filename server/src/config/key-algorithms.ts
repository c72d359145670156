/** Which algorithms a configured key may verify: decided by the key, never by the token. */
import { createPublicKey } from "node:crypto";
import type { Algorithm } from "jsonwebtoken";

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

const BY_KEY_TYPE: Record<string, Algorithm[]> = {
  rsa: ["RS256"],
  ec: ["ES256"],
};

export function algorithmsForPublicKey(pem: string): Algorithm[] {
  let keyType: string | undefined;
  try {
    keyType = createPublicKey(pem).asymmetricKeyType;
  } catch {
    throw new ConfigError("JWT_PUBLIC_KEY", "is not a PEM public key");
  }
  const algorithms = keyType ? BY_KEY_TYPE[keyType] : undefined;
  if (!algorithms) throw new ConfigError("JWT_PUBLIC_KEY", `key type ${keyType ?? "unknown"} is not supported (RSA or EC P-256)`);
  return algorithms;
}
