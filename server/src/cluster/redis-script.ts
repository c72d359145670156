/**
 * A Lua script sent by its SHA1 (EVALSHA) instead of its text: the append script is about a
 * kilobyte, and EVAL makes Redis read and hash all of it on every call. A Redis that does not know
 * the script (restarted, SCRIPT FLUSH) answers NOSCRIPT; the script then goes once as EVAL, which
 * also caches it there again.
 */
import { createHash } from "node:crypto";
import type { Redis } from "./redis-clients.js";

export interface ScriptCall {
  keys: string[];
  arguments: string[];
}

export class RedisScript {
  readonly #sha: string;

  constructor(readonly source: string) {
    this.#sha = createHash("sha1").update(source).digest("hex");
  }

  run(redis: Redis, call: ScriptCall): Promise<unknown> {
    return redis.evalSha(this.#sha, call).catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith("NOSCRIPT")) return redis.eval(this.source, call);
      throw error;
    });
  }
}
