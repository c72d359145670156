/**
 * V8 settings the gateway process runs with, applied by `main.ts` before anything is served (and by
 * the benchmark's gateway child, which runs the gateway as production does).
 *
 * `--no-allocation-site-pretenuring`: V8 watches which allocation sites make objects that survive
 * young-generation collections and, when a site's objects all survive while the young generation is
 * at its largest, allocates that site's objects directly in the old generation from then on. While
 * hundreds of units connect at once (a start, a reconnect storm after a deploy) the gateway does
 * enough per connection (token checks, sessions, presence, audit) for that to happen to about thirty
 * sites in ws and Socket.IO that then allocate on every message too (a unit's last receiver state
 * lives as long as its connection; the same sites make each message's). From then on, for the life
 * of the process, every message's objects are born old, die at once, and keep what they point to
 * alive until the next full collection: about 600 bytes promoted per relayed request instead of 50,
 * longer young-generation pauses, and a p99 latency in the relay benchmark 20-45 % higher
 * (docs/benchmarks.md, "V8 allocation-site pretenuring off in the gateway"). A bare Socket.IO relay
 * doing less per connection ends with four such sites and is not changed by the flag.
 *
 * The flag is V8's own, read at each young-generation collection, so setting it at run time (before
 * the units connect) is enough; test/src/v8-flags.test.ts checks that the gateway's process has it.
 */
import { setFlagsFromString } from "node:v8";

const GATEWAY_V8_FLAGS: readonly string[] = ["--no-allocation-site-pretenuring"];

export function applyGatewayV8Flags(): void {
  for (const flag of GATEWAY_V8_FLAGS) setFlagsFromString(flag);
}
