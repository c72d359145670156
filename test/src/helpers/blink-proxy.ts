/** A TCP proxy on a free port whose `cut()` drops every live connection at once: a network blink. */
import { connect as tcpConnect, createServer, type AddressInfo, type Socket } from "node:net";
import { registerTeardown } from "./teardown.js";

export interface BlinkProxy {
  url: string;
  /** Drops every connection through the proxy; returns how many it dropped. */
  cut(): number;
}

export async function startBlinkProxy(target: string): Promise<BlinkProxy> {
  const { hostname, port } = new URL(target);
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((client) => {
    const upstream = tcpConnect(Number(port), hostname);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const side of pair) {
      side.on("close", close);
      side.on("error", close);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const cut = () => {
    const count = pairs.size;
    for (const [client, upstream] of [...pairs]) {
      client.destroy();
      upstream.destroy();
    }
    return count;
  };
  registerTeardown(() => new Promise<void>((resolve) => (cut(), server.close(() => resolve()))));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, cut };
}
