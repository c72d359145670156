/** What every role client has: its connection core, `connect()`, `close()` and the state. */
import type { ConnectionCore, ConnectionEvents } from "./connection-core.js";
import type { ConnectionState } from "./connection-state.js";

export abstract class BaseClient {
  /** The connection: `client.connection.on("state" | "error" | "disconnect" | "reconnecting", ...)`. */
  readonly connection: ConnectionCore;

  protected constructor(connection: ConnectionCore) {
    this.connection = connection;
  }

  get state(): ConnectionState {
    return this.connection.state;
  }

  get connected(): boolean {
    return this.connection.connected;
  }

  /** Resolves once connected (retrying with backoff meanwhile); rejects on a terminal refusal or `close()`. */
  connect(): Promise<void> {
    return this.connection.connect();
  }

  /** Disconnects and releases everything; pending calls reject with CLIENT_CLOSED. Idempotent. */
  close(): void {
    this.connection.close();
  }

  /** Shorthand for `connection.on(...)`. */
  onConnection<K extends keyof ConnectionEvents>(event: K, listener: ConnectionEvents[K]): () => void {
    return this.connection.on(event, listener);
  }
}
