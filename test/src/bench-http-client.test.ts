/**
 * The bench's lean keep-alive HTTP client (bench/src/lib/http-keepalive.ts), against a raw TCP
 * server that writes its responses in the pieces a test chooses: a response split anywhere, a
 * chunked body, an error body kept, `Connection: close` honoured, one connection per outstanding
 * request reused (no pipelining), a lost connection and a request past its timeout reported.
 * Loaded from bench/dist at run time.
 */
import assert from "node:assert/strict";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";

interface HttpResponse {
  status: number;
  body: Buffer | undefined;
}
type ResponseCallback = (error: string | undefined, response?: HttpResponse) => void;
interface KeepAlivePool {
  send(request: Buffer, callback: ResponseCallback): void;
  readonly size: number;
  close(): void;
}
interface HttpKeepAliveModule {
  KeepAlivePool: new (options: { host: string; port: number; timeoutMs: number }) => KeepAlivePool;
}

const MODULE = new URL("../../bench/dist/lib/http-keepalive.js", import.meta.url).href;

/** Each request (a whole head, no body) is answered by `answer(socket, index)`; the requests seen are kept. */
async function rawServer(answer: (socket: Socket, index: number) => void): Promise<{ server: Server; port: number; requests: string[]; connections: number }> {
  const state = { server: createServer(), port: 0, requests: [] as string[], connections: 0 };
  state.server.on("connection", (socket) => {
    state.connections++;
    let buffered = "";
    socket.on("data", (chunk) => {
      buffered += chunk.toString("latin1");
      for (let end = buffered.indexOf("\r\n\r\n"); end >= 0; end = buffered.indexOf("\r\n\r\n")) {
        state.requests.push(buffered.slice(0, end));
        buffered = buffered.slice(end + 4);
        answer(socket, state.requests.length - 1);
      }
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, "127.0.0.1", resolve));
  state.port = (state.server.address() as AddressInfo).port;
  return state;
}

function request(path: string): Buffer {
  return Buffer.from(`GET ${path} HTTP/1.1\r\nhost: test\r\n\r\n`, "latin1");
}

function send(pool: KeepAlivePool, bytes: Buffer): Promise<{ error: string | undefined; response: HttpResponse | undefined }> {
  return new Promise((resolve) => pool.send(bytes, (error, response) => resolve({ error, response })));
}

describe("bench: lean keep-alive HTTP client", function () {
  let module: HttpKeepAliveModule;
  const closers: (() => void)[] = [];

  before(async () => {
    module = (await import(MODULE)) as HttpKeepAliveModule;
  });

  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  async function setup(answer: (socket: Socket, index: number) => void, timeoutMs = 10_000) {
    const server = await rawServer(answer);
    const pool = new module.KeepAlivePool({ host: "127.0.0.1", port: server.port, timeoutMs });
    closers.push(() => pool.close(), () => server.server.close());
    return { server, pool };
  }

  it("reads a response split at every byte, and reuses its connection for the next request", async () => {
    const response = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}';
    const { server, pool } = await setup((socket) => {
      // One byte per write, each on its own turn: the client sees the response in many reads.
      const bytes = Buffer.from(response, "latin1");
      let at = 0;
      const next = () => {
        if (at >= bytes.length) return;
        socket.write(bytes.subarray(at, ++at), () => setImmediate(next));
      };
      next();
    });
    for (let i = 0; i < 3; i++) {
      const { error, response: answer } = await send(pool, request(`/r${i}`));
      assert.equal(error, undefined);
      assert.equal(answer?.status, 200);
      assert.equal(answer?.body, undefined, "a 200's body is not kept");
    }
    assert.equal(server.connections, 1);
    assert.equal(pool.size, 1);
    assert.deepEqual(
      server.requests.map((head) => head.split(" ")[1]),
      ["/r0", "/r1", "/r2"],
    );
  });

  it("keeps the body of a non-200, whether framed by Content-Length or chunked", async () => {
    const body = '{"ok":false,"error":{"code":"UNIT_OFFLINE","message":"offline"}}';
    const { pool } = await setup((socket, index) => {
      if (index === 0) socket.write(`HTTP/1.1 404 Not Found\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
      else socket.write(`HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n${body.slice(0, 5)}\r\n${(body.length - 5).toString(16)}\r\n${body.slice(5)}\r\n0\r\n\r\n`);
    });
    const first = await send(pool, request("/a"));
    assert.equal(first.response?.status, 404);
    assert.equal(first.response?.body?.toString("utf8"), body);
    const second = await send(pool, request("/b"));
    assert.equal(second.response?.status, 503);
    assert.equal(second.response?.body?.toString("utf8"), body);
  });

  it("opens one connection per outstanding request and never pipelines", async () => {
    const held: Socket[] = [];
    const { server, pool } = await setup((socket) => {
      held.push(socket);
      // Answer all three once the third request has arrived: three requests were outstanding at once.
      if (held.length === 3) for (const each of held) each.write("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
    });
    const answers = await Promise.all([send(pool, request("/1")), send(pool, request("/2")), send(pool, request("/3"))]);
    assert.deepEqual(
      answers.map((answer) => answer.response?.status),
      [200, 200, 200],
    );
    assert.equal(server.connections, 3);
    assert.equal(new Set(held).size, 3, "each request came on a connection of its own");
  });

  it("opens a new connection after a response with Connection: close", async () => {
    const { server, pool } = await setup((socket) => {
      socket.end("HTTP/1.1 200 OK\r\nConnection: close\r\ncontent-length: 2\r\n\r\n{}");
    });
    for (let i = 0; i < 2; i++) assert.equal((await send(pool, request("/x"))).response?.status, 200);
    assert.equal(server.connections, 2);
  });

  it("fails a request whose connection is lost (HTTP_ERROR) or that outlives its timeout (CLIENT_TIMEOUT)", async () => {
    const lost = await setup((socket) => socket.destroy());
    assert.equal((await send(lost.pool, request("/lost"))).error, "HTTP_ERROR");
    const silent = await setup(() => undefined, 50);
    assert.equal((await send(silent.pool, request("/silent"))).error, "CLIENT_TIMEOUT");
  });

  it("refuses a response that is not HTTP (HTTP_MALFORMED)", async () => {
    const { pool } = await setup((socket) => socket.write("SSH-2.0-nope\r\n\r\n"));
    assert.equal((await send(pool, request("/x"))).error, "HTTP_MALFORMED");
  });
});
