/**
 * SDK clients for tests, pointed at a test gateway with a tiny backoff, each closed at teardown;
 * and small waits on the SDK's own events (never on time).
 */
import {
  AdminClient,
  BridgeClient,
  ConnectionState,
  PortalClient,
  UnitClient,
  type ClientOptions,
  type ConnectionCore,
  type ConnectionEvents,
  type UnitClientOptions,
} from "@care-gateway/client-sdk";
import { registerTeardown } from "./helpers/teardown.js";
import type { TestGateway } from "./helpers/test-gateway.js";
import { adminToken, bridgeToken, portalToken, unitToken } from "./helpers/tokens.js";

export const FAST_BACKOFF = { baseMs: 5, maxMs: 40 };

type Extra<T> = Partial<T>;

function base(gw: Pick<TestGateway, "url">, token: ClientOptions["token"]): ClientOptions {
  return { url: gw.url, token, backoff: FAST_BACKOFF };
}

function closing<T extends { close(): void }>(client: T): T {
  registerTeardown(() => client.close());
  return client;
}

export function unitClient(gw: Pick<TestGateway, "url">, unitId: string, extra: Extra<UnitClientOptions> = {}): UnitClient {
  return closing(new UnitClient({ ...base(gw, unitToken(unitId)), ...extra }));
}

export function portalClient(gw: Pick<TestGateway, "url">, sub: string, units: string[], extra: Extra<ClientOptions> = {}): PortalClient {
  return closing(new PortalClient({ ...base(gw, portalToken(sub, units)), ...extra }));
}

export function bridgeClient(gw: Pick<TestGateway, "url">, extra: Extra<ClientOptions> = {}): BridgeClient {
  return closing(new BridgeClient({ ...base(gw, bridgeToken()), ...extra }));
}

export function adminClient(gw: Pick<TestGateway, "url">, extra: Extra<ClientOptions> = {}): AdminClient {
  return closing(new AdminClient({ ...base(gw, adminToken()), ...extra }));
}

/** Resolves with the arguments of the next `event` of a connection core. */
export function nextConnectionEvent<K extends keyof ConnectionEvents>(core: ConnectionCore, event: K): Promise<Parameters<ConnectionEvents[K]>> {
  return new Promise((resolve) => {
    core.once(event, ((...args: Parameters<ConnectionEvents[K]>) => resolve(args)) as unknown as ConnectionEvents[K]);
  });
}

/** Resolves when the core is in `state` (at once if it is already). */
export function untilState(core: ConnectionCore, state: ConnectionState): Promise<void> {
  if (core.state === state) return Promise.resolve();
  return new Promise((resolve) => {
    const off = core.on("state", (next) => {
      if (next !== state) return;
      off();
      resolve();
    });
  });
}

/** Resolves with the first value a `register(handler)`-style subscription delivers, then unsubscribes. */
export function first<T>(register: (handler: (value: T) => void) => () => void): Promise<T> {
  return new Promise((resolve) => {
    const off = register((value) => {
      off();
      resolve(value);
    });
  });
}

/** Resolves with the first `count` values delivered. */
export function collect<T>(count: number, register: (handler: (value: T) => void) => () => void): Promise<T[]> {
  return new Promise((resolve) => {
    const values: T[] = [];
    const off = register((value) => {
      values.push(value);
      if (values.length < count) return;
      off();
      resolve(values);
    });
  });
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves with the error `promise` rejects with; fails if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error("expected a rejection, but the promise resolved");
}

export { ConnectionState };
