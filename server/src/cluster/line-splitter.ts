/**
 * Splits a socket's UTF-8 text (set with `setEncoding("utf8")`, so a character is never cut in two)
 * into newline-terminated lines. A line longer than `maxLineChars` is refused: `onTooLong` is told
 * and nothing more is read.
 */
export class LineSplitter {
  #rest = "";
  #failed = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onTooLong: () => void,
    public maxLineChars: number,
  ) {}

  push(chunk: string): void {
    if (this.#failed) return;
    let end = chunk.indexOf("\n");
    if (end < 0) {
      this.#rest += chunk;
      this.#checkLength();
      return;
    }
    let line = this.#rest + chunk.slice(0, end);
    this.#rest = "";
    for (;;) {
      this.onLine(line);
      if (this.#failed) return;
      const start = end + 1;
      end = chunk.indexOf("\n", start);
      if (end < 0) {
        this.#rest = start < chunk.length ? chunk.slice(start) : "";
        this.#checkLength();
        return;
      }
      line = chunk.slice(start, end);
    }
  }

  /** Stops reading (a line was refused, or the connection is being closed). */
  stop(): void {
    this.#failed = true;
    this.#rest = "";
  }

  #checkLength(): void {
    if (this.#rest.length <= this.maxLineChars) return;
    this.stop();
    this.onTooLong();
  }
}
