/**
 * Types derived from shared's event maps, so that each role's calls are checked against the
 * contract: the events of a map that expect an acknowledgement, their argument and their success.
 */
import type { Ack, EventName } from "@care-gateway/shared";

/** Events of `M` whose last parameter is an acknowledgement callback. */
export type AckEventName<M> = {
  [K in keyof M]: M[K] extends (args: infer _A, ack: Ack<infer _R>) => void ? K : never;
}[keyof M] &
  EventName;

export type AckArgs<F> = F extends (args: infer A, ack: Ack<infer _R>) => void ? A : never;
export type AckReply<F> = F extends (args: infer _A, ack: Ack<infer R>) => void ? R : never;
/** The success branch of an event's acknowledgement. */
export type AckSuccess<F> = Extract<AckReply<F>, { ok: true }>;

/** Emits `event` with `args` and resolves with the success reply, or rejects with a GatewayError. */
export type TypedCall<M> = <E extends AckEventName<M>>(event: E, args: AckArgs<M[E]>, timeoutMs?: number) => Promise<AckSuccess<M[E]>>;

/** Listens to a server event of map `M`; returns a function that stops listening. */
export type TypedListen<M> = <E extends keyof M & EventName>(event: E, listener: M[E]) => () => void;
