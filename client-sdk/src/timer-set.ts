/** Named one-shot timers owned by one object, all cleared at once on close: nothing can outlive its owner. */
type Timer = ReturnType<typeof setTimeout>;

export class TimerSet<Name extends string> {
  readonly #timers = new Map<Name, Timer>();

  /** (Re)arms the timer `name`; an earlier one of that name is cleared. */
  set(name: Name, delayMs: number, run: () => void): void {
    this.clear(name);
    const timer = setTimeout(() => {
      this.#timers.delete(name);
      run();
    }, Math.max(0, delayMs));
    this.#timers.set(name, timer);
  }

  has(name: Name): boolean {
    return this.#timers.has(name);
  }

  clear(name: Name): void {
    const timer = this.#timers.get(name);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#timers.delete(name);
  }

  clearAll(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  get size(): number {
    return this.#timers.size;
  }
}
