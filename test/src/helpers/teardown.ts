/** Teardown registered by helpers and run after each test, last registered first. */
type Teardown = () => unknown;

const pending: Teardown[] = [];

export function registerTeardown(teardown: Teardown): void {
  pending.push(teardown);
}

export async function runTeardowns(): Promise<void> {
  const errors: unknown[] = [];
  while (pending.length > 0) {
    const teardown = pending.pop() as Teardown;
    try {
      await teardown();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
}
