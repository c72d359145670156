/** Tokens for the gateway under test: HS256, one hour, signed with the secret the bench gave it. */
import jwt from "jsonwebtoken";
import type { SocketRole } from "@care-gateway/shared";

export function mintToken(secret: string, sub: string, role: SocketRole): string {
  return jwt.sign({ role }, secret, { algorithm: "HS256", subject: sub, expiresIn: 3600 });
}
