/** Plain socket.io-client sockets as the bench's units and bridge: WebSocket only, no reconnection. */
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";

export const CONNECT_TIMEOUT_MS = 10_000;

/** What a scenario may add to a socket's options: a source address (`localAddress`), ... */
export type ExtraSocketOptions = Partial<ManagerOptions & SocketOptions & { localAddress: string }>;

/** A socket that is not connected yet (`autoConnect: false`): `socket.connect()`, or `whenConnected(socket)`. */
export function newSocket(url: string, namespace: string, auth: Record<string, unknown>, extra: ExtraSocketOptions = {}): Socket {
  return io(url + namespace, {
    auth,
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    timeout: CONNECT_TIMEOUT_MS,
    ...extra,
  });
}

/** Opens a socket and resolves once it is connected; rejects with the `connect_error` or on timeout. */
export function connectSocket(url: string, namespace: string, auth: Record<string, unknown>, extra: ExtraSocketOptions = {}): Promise<Socket> {
  return whenConnected(newSocket(url, namespace, auth, extra), namespace);
}

/**
 * Resolves once `socket` is connected (connecting it if it is not on its way); rejects with the
 * `connect_error` or on timeout, and then leaves it disconnected.
 */
export function whenConnected(socket: Socket, namespace: string): Promise<Socket> {
  if (socket.connected) return Promise.resolve(socket);
  if (!socket.active) socket.connect();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${namespace}: not connected within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS + 1_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.off("connect", onConnect);
      socket.disconnect();
      reject(new Error(`${namespace}: ${error.message}`));
    };
    const onConnect = () => {
      clearTimeout(timer);
      socket.off("connect_error", fail);
      resolve(socket);
    };
    socket.once("connect", onConnect);
    socket.once("connect_error", fail);
  });
}

/** What `closeAll` closes: a socket.io-client socket, or the fan-out's lean unit. */
export interface Closable {
  disconnect(): unknown;
}

/** Runs `open(i)` for i in [0, count) with at most `parallelism` at a time; on failure closes what opened. */
export async function connectMany<T extends Closable = Socket>(count: number, parallelism: number, open: (index: number) => Promise<T>): Promise<T[]> {
  const sockets: T[] = [];
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < count && failure === undefined) {
      const index = next++;
      try {
        sockets[index] = await open(index);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, count) }, worker));
  if (failure !== undefined) {
    closeAll(sockets);
    throw failure;
  }
  return sockets;
}

export function closeAll(sockets: readonly (Closable | undefined)[]): void {
  for (const socket of sockets) socket?.disconnect();
}
