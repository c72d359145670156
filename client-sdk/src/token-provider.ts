/** Asks the token provider for a token (on every connect attempt and on `auth:expiring`). */
import type { TokenProvider } from "./client-options.js";

export async function resolveToken(provider: TokenProvider): Promise<string> {
  const token = typeof provider === "string" ? provider : await provider();
  if (typeof token !== "string" || token.length === 0) throw new TypeError("the token provider returned no token");
  return token;
}
