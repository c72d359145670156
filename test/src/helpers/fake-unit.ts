/** A unit speaking the raw protocol, with scripted answers per request type. */
import type { Socket } from "socket.io-client";
import { Namespace, type DownstreamEvent, type UnitAnswer, type UnitRequest } from "@care-gateway/shared";
import { connected, rawSocket } from "./raw-client.js";
import { unitToken } from "./tokens.js";

export type Answerer = (request: UnitRequest) => UnitAnswer | undefined;

export interface FakeUnit {
  socket: Socket;
  requests: UnitRequest[];
  events: DownstreamEvent[];
  /** Replaces how the unit answers; returning undefined leaves the request unanswered. */
  answer(answerer: Answerer): void;
  /** Resolves when the unit has received `count` requests in total. */
  receivedRequests(count: number): Promise<UnitRequest[]>;
  receivedEvents(count: number): Promise<DownstreamEvent[]>;
  /** Acks of requests held back by an answerer that returned undefined, by request id. */
  held: Map<string, (answer: UnitAnswer) => void>;
}

export const pingAnswer: Answerer = () => ({ ok: true, data: { at: new Date().toISOString() } });

export async function fakeUnit(url: string, unitId: string, extraAuth: Record<string, unknown> = {}): Promise<FakeUnit> {
  // Listeners go on before the handshake: queued events arrive right after it.
  const socket = rawSocket(url, Namespace.unit, { auth: { token: unitToken(unitId), ...extraAuth } });
  const requests: UnitRequest[] = [];
  const events: DownstreamEvent[] = [];
  const held = new Map<string, (answer: UnitAnswer) => void>();
  const waiters: (() => void)[] = [];
  const notify = () => waiters.splice(0).forEach((wake) => wake());
  let answerer: Answerer = pingAnswer;
  socket.on("request", (request: UnitRequest, ack: (answer: UnitAnswer) => void) => {
    requests.push(request);
    const answer = answerer(request);
    if (answer !== undefined) ack(answer);
    else held.set(request.id, ack);
    notify();
  });
  socket.on("event", (event: DownstreamEvent, ack: (reply: { ok: true }) => void) => {
    events.push(event);
    ack({ ok: true });
    notify();
  });
  const until = <T>(ready: () => boolean, value: () => T) =>
    new Promise<T>((resolve) => {
      const check = () => (ready() ? resolve(value()) : waiters.push(check));
      check();
    });
  await connected(socket);
  return {
    socket,
    requests,
    events,
    held,
    answer: (next) => {
      answerer = next;
    },
    receivedRequests: (count) => until(() => requests.length >= count, () => requests),
    receivedEvents: (count) => until(() => events.length >= count, () => events),
  };
}
