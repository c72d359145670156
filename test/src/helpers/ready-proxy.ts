/**
 * A stand-in load balancer for tests: a TCP proxy on a free port that sends each new connection to
 * the first target whose /readyz answers 200, as a balancer health-checking /readyz would.
 */
import { connect as tcpConnect, createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { registerTeardown } from "./teardown.js";

export interface ReadyProxy {
  url: string;
}

async function ready(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

export async function startReadyProxy(targets: string[]): Promise<ReadyProxy> {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.pause();
    client.on("close", () => open.delete(client));
    client.on("error", () => client.destroy());
    void (async () => {
      for (const target of targets) {
        if (!(await ready(target))) continue;
        const { hostname, port } = new URL(target);
        const upstream = tcpConnect(Number(port), hostname);
        open.add(upstream);
        upstream.on("close", () => {
          open.delete(upstream);
          client.destroy();
        });
        upstream.on("error", () => client.destroy());
        client.on("close", () => upstream.destroy());
        upstream.pipe(client);
        client.pipe(upstream);
        client.resume();
        return;
      }
      client.destroy();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  registerTeardown(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
