/**
 * Waits for a condition that the system reaches by itself (a lease lapsing, a connection coming
 * back): re-checks it every `everyMs` until it holds or `withinMs` passes. Not a sleep: it returns
 * as soon as the condition holds, and fails with the last observation otherwise.
 */
export async function eventually<T>(check: () => Promise<T | undefined | false>, withinMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + withinMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not reached within ${withinMs} ms (last: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
