/**
 * Tokens for the gateway under test: HS256, one hour, signed with the secret the bench gave it.
 *
 * The secret is made a KeyObject once per secret. Given a string, jsonwebtoken first tries to parse
 * it as a PEM private key (`createPrivateKey`, which throws) on every call: about 0.45 ms a token on
 * this machine, against 15 µs with the KeyObject. In the reconnect storm the load generator mints
 * one token per unit at the storm's start, so 5,000 string-keyed signs put 2-4 s of the load
 * generator's own work into the gateway's timed window, which the bare run does not have.
 */
import { createSecretKey, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import type { SocketRole } from "@care-gateway/shared";

const keys = new Map<string, KeyObject>();

export function mintToken(secret: string, sub: string, role: SocketRole): string {
  return jwt.sign({ role }, secretKey(secret), { algorithm: "HS256", subject: sub, expiresIn: 3600 });
}

/** The KeyObject of an HS256 secret, made once. */
export function secretKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, "utf8"));
    keys.set(secret, key);
  }
  return key;
}
