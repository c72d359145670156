/**
 * Units' acknowledgements to the Redis outbox, gathered for one turn of the event loop and sent as
 * one script call. Under load a node hears many units' acks in one turn (a socket read each), and
 * every call costs Redis a command's dispatch and the node a node-redis command with its Promise.
 * Per unit only the highest id gathered is sent: trimming through it covers the lower ones.
 */
export type SendAcknowledgements = (unitIds: string[], ids: number[]) => Promise<void>;

/** Sent at once when this many units wait, so that one call stays short for Redis. */
const MAX_UNITS = 128;

export class AcknowledgeBatch {
  #waiting = new Map<string, number>();
  #sent: Promise<void> | undefined;
  #resolve: () => void = () => undefined;
  #reject: (error: unknown) => void = () => undefined;
  #scheduled = false;

  constructor(private readonly send: SendAcknowledgements) {}

  /** Resolves once Redis has applied this acknowledgement (with the others of its batch). */
  add(unitId: string, id: number): Promise<void> {
    const known = this.#waiting.get(unitId);
    if (known === undefined || id > known) this.#waiting.set(unitId, id);
    this.#sent ??= new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    const sent = this.#sent;
    if (this.#waiting.size >= MAX_UNITS) this.#flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }
    return sent;
  }

  #flush(): void {
    this.#scheduled = false;
    const waiting = this.#waiting;
    if (waiting.size === 0) return;
    const resolve = this.#resolve;
    const reject = this.#reject;
    this.#waiting = new Map();
    this.#sent = undefined;
    this.send([...waiting.keys()], [...waiting.values()]).then(resolve, reject);
  }
}
