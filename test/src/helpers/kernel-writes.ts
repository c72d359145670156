/**
 * Counts the writes Node hands to the kernel on TCP sockets (`net.Socket`'s `_write` for one chunk,
 * `_writev` for several) while `work` runs: the measure of write coalescing, which changes how many
 * system calls carry the same packets, not what arrives.
 */
import net from "node:net";

type WriteFn = (this: net.Socket, ...args: unknown[]) => unknown;

/** Per key that `keyOf` gives a writing socket (undefined: not counted), its number of writes. */
export async function countKernelWrites<K>(keyOf: (socket: net.Socket) => K | undefined, work: () => Promise<unknown>): Promise<Map<K, number>> {
  const proto = net.Socket.prototype as unknown as Record<"_write" | "_writev", WriteFn>;
  const originals = { _write: proto._write, _writev: proto._writev };
  const writes = new Map<K, number>();
  for (const name of ["_write", "_writev"] as const) {
    const original = originals[name];
    proto[name] = function (this: net.Socket, ...args: unknown[]) {
      const key = keyOf(this);
      if (key !== undefined) writes.set(key, (writes.get(key) ?? 0) + 1);
      return original.apply(this, args);
    };
  }
  try {
    await work();
  } finally {
    proto._write = originals._write;
    proto._writev = originals._writev;
  }
  return writes;
}
