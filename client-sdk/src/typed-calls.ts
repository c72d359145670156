/** Typed views of the connection core for one namespace's event maps (from shared). */
import type { AckArgs, AckEventName, AckSuccess, TypedCall, TypedListen } from "./ack-types.js";
import type { ConnectionCore } from "./connection-core.js";

/** `call(event, args)` checked against the client-to-server map `M`. */
export function typedCall<M>(core: ConnectionCore): TypedCall<M> {
  return <E extends AckEventName<M>>(event: E, args: AckArgs<M[E]>, timeoutMs?: number) =>
    core.call(event, args, timeoutMs) as unknown as Promise<AckSuccess<M[E]>>;
}

/** `listen(event, listener)` checked against the server-to-client map `M`. */
export function typedListen<M>(core: ConnectionCore): TypedListen<M> {
  return (event, listener) => core.listen(event, listener as (...args: never[]) => void);
}
