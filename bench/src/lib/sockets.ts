/** Plain socket.io-client sockets as the bench's units and bridge: WebSocket only, no reconnection. */
import { io, type Socket } from "socket.io-client";

export const CONNECT_TIMEOUT_MS = 10_000;

/** Opens a socket and resolves once it is connected; rejects with the `connect_error` or on timeout. */
export function connectSocket(url: string, namespace: string, auth: Record<string, unknown>): Promise<Socket> {
  const socket = io(url + namespace, {
    auth,
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    timeout: CONNECT_TIMEOUT_MS,
  });
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

/** Runs `open(i)` for i in [0, count) with at most `parallelism` at a time; on failure closes what opened. */
export async function connectMany(count: number, parallelism: number, open: (index: number) => Promise<Socket>): Promise<Socket[]> {
  const sockets: Socket[] = [];
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

export function closeAll(sockets: readonly (Socket | undefined)[]): void {
  for (const socket of sockets) socket?.disconnect();
}
