/**
 * Plain socket.io-client sockets (no SDK), the way outside clients speak the protocol, closed at teardown.
 */
import { io, type Socket } from "socket.io-client";
import type { ConnectErrorData } from "@care-gateway/shared";
import { registerTeardown } from "./teardown.js";

export interface RawOptions {
  auth?: Record<string, unknown>;
  transports?: ("websocket" | "polling")[];
  extraHeaders?: Record<string, string>;
}

/** Opens a socket on `namespace` without waiting; `connected()` waits for the outcome. */
export function rawSocket(url: string, namespace: string, options: RawOptions = {}): Socket {
  const socket = io(url + namespace, {
    auth: options.auth ?? {},
    transports: options.transports ?? ["websocket"],
    reconnection: false,
    forceNew: true,
    ...(options.extraHeaders ? { extraHeaders: options.extraHeaders } : {}),
  });
  registerTeardown(() => socket.disconnect());
  return socket;
}

/** Connects and resolves once connected; rejects with the `connect_error`. */
export async function connect(url: string, namespace: string, token: string, extra: Record<string, unknown> = {}): Promise<Socket> {
  const socket = rawSocket(url, namespace, { auth: { token, ...extra } });
  await connected(socket);
  return socket;
}

export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error) => reject(error));
  });
}

/** Resolves with the refusal of a handshake that must fail. */
export function refused(socket: Socket): Promise<Error & { data?: ConnectErrorData }> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => reject(new Error("connected, but a refusal was expected")));
    socket.once("connect_error", (error) => resolve(error as Error & { data?: ConnectErrorData }));
  });
}

/** Resolves with the next `event`'s arguments. */
export function nextEvent<T = unknown>(socket: Socket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, (value: T) => resolve(value)));
}

/** Emits and resolves with the acknowledgement. */
export function ask<T = unknown>(socket: Socket, event: string, ...args: unknown[]): Promise<T> {
  return socket.emitWithAck(event, ...args) as Promise<T>;
}
