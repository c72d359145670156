/**
 * A tiny typed event emitter (no Node `events`, so the browser build needs nothing extra).
 * A listener that throws does not break the emitter or the other listeners: its error is
 * rethrown on a microtask, where the host reports it as any uncaught error.
 */

/** An event map: event name to listener signature. */
export type ListenerMap<M> = { [K in keyof M]: (...args: never[]) => void };

export class TypedEmitter<M extends ListenerMap<M>> {
  readonly #listeners = new Map<keyof M, Set<M[keyof M]>>();

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof M>(event: K, listener: M[K]): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.off(event, listener);
  }

  /** Adds a listener called at most once; returns a function that removes it. */
  once<K extends keyof M>(event: K, listener: M[K]): () => void {
    const wrapper = ((...args: Parameters<M[K]>) => {
      remove();
      (listener as (...args: Parameters<M[K]>) => void)(...args);
    }) as unknown as M[K];
    const remove = this.on(event, wrapper);
    return remove;
  }

  off<K extends keyof M>(event: K, listener: M[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    set.delete(listener);
    if (set.size === 0) this.#listeners.delete(event);
  }

  listenerCount(event: keyof M): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  removeAllListeners(): void {
    this.#listeners.clear();
  }

  emit<K extends keyof M>(event: K, ...args: Parameters<M[K]>): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (...args: Parameters<M[K]>) => void)(...args);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
