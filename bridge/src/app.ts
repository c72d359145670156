/**
 * The composition root of the API Bridge: `createBridgeApp(config, deps)` wires the caller
 * authentication, the idempotency store, the /bridge connection, the routes, the OpenAPI document
 * and the metrics into one fastify server, and returns `{ start(), stop() }`. `main.ts` only reads the
 * environment and calls it; tests start it on port 0.
 */
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { ClientErrorCode, ErrorCode } from "@care-gateway/shared";
import { createDefaultCatalogue, type MessageCatalogue } from "@care-gateway/shared/schemas";
import type { BridgeClient, GatewayError } from "@care-gateway/client-sdk";
import { JwksKeys, TokenVerifier, createLogger, type Logger } from "@care-gateway/server";
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from "fastify";
import { describeTokenSource } from "./bridge-token.js";
import { ANONYMOUS_CALLER, CallerAuthenticator, callerMay, forbidden, type Authentication, type Caller } from "./caller-auth.js";
import type { BridgeConfig } from "./config.js";
import { BridgeErrorCode } from "./error-codes.js";
import { GatewayLink } from "./gateway-link.js";
import { outcomeOfHttpError } from "./http-errors.js";
import { IDEMPOTENCY_KEY_HEADER, runIdempotently } from "./idempotent-run.js";
import { IdempotencyStore } from "./idempotency-store.js";
import { createBridgeMetrics, type BridgeMetrics } from "./metrics.js";
import { buildOpenApi, type OpenApiDocument } from "./openapi.js";
import { codeOf, errorOutcome, type Outcome } from "./outcome.js";
import { requestIdOf } from "./request-id.js";
import { allRoutes, type Readiness, type RawResponse, type RouteContext, type RouteSpec } from "./routes/index.js";
import { isRaw } from "./routes/route-spec.js";

export interface BridgeDeps {
  /** Defaults to a JSON logger on stdout (LOG_LEVEL, LOG_FORMAT). */
  logger?: Logger;
  /** Defaults to version 1 of the catalogue; a deployment passes one with its own types registered. */
  catalogue?: MessageCatalogue;
  /** Defaults to the gateway's TokenVerifier over `config.jwt`. */
  verifier?: TokenVerifier;
  /** The clock (epoch ms) of the idempotency window and of remembered caller tokens. */
  now?: () => number;
  /** The gateway refused the bridge for good (wrong role, revoked): the SDK will not reconnect. Default: logged. */
  onFatal?: (error: GatewayError) => void;
}

export interface BridgeApp {
  readonly config: BridgeConfig;
  /** Listens (port 0 picks a free one) and starts connecting to the gateway; does not wait for that connection. */
  start(): Promise<{ port: number; url: string }>;
  /** Stops taking requests, lets those in flight end (up to the shutdown grace), closes the /bridge socket. Idempotent. */
  stop(): Promise<void>;
  /** Resolves once the /bridge socket is connected; rejects on a terminal refusal or stop. */
  connected(): Promise<void>;
  readiness(): Readiness;
  readonly gateway: BridgeClient;
  readonly metrics: BridgeMetrics;
  readonly idempotency: IdempotencyStore;
  readonly openapi: OpenApiDocument;
  /** The routes fastify has registered (method and fastify URL), for the OpenAPI conformance test. */
  registeredRoutes(): { method: string; url: string }[];
}

/** On stop, after the gateway calls are abandoned: time for their 503s to be written. */
const FINAL_RESPONSES_MS = 1000;

/** What the hooks learn about a request along the way; a request decorator (a stable object shape, no WeakMap). */
interface RequestState {
  caller: Caller | undefined;
  code: string | undefined;
  replayed: boolean;
}

const STATE = "bridgeState";

const require = createRequire(import.meta.url);
const VERSION = (require("../package.json") as { version: string }).version;

export function createBridgeApp(config: BridgeConfig, deps: BridgeDeps = {}): BridgeApp {
  const logger = deps.logger ?? createLogger({ level: config.log.level, format: config.log.format, nodeId: config.instanceId });
  const catalogue = deps.catalogue ?? createDefaultCatalogue();
  const idempotency = new IdempotencyStore({ ...config.idempotency, ...(deps.now ? { now: deps.now } : {}) });
  const metrics = createBridgeMetrics({ instanceId: config.instanceId, processMetrics: config.processMetrics, idempotencyKeys: () => idempotency.size, idempotencyWaiting: () => idempotency.waiting });
  const jwks =
    !deps.verifier && config.callerAuth === "jwt" && config.jwt?.jwks
      ? new JwksKeys({ url: config.jwt.jwks.url, cacheMs: config.jwt.jwks.cacheS * 1000, minRefetchMs: config.jwt.jwks.minRefetchS * 1000, logger })
      : undefined;
  const verifier = deps.verifier ?? (config.callerAuth === "jwt" && config.jwt ? new TokenVerifier(config.jwt, jwks) : undefined);
  const authenticator = new CallerAuthenticator(config.callerAuth, verifier, deps.now);
  const link = new GatewayLink({
    config,
    logger,
    metrics,
    onFatal:
      deps.onFatal ??
      ((error) => {
        logger.error("the gateway refused the bridge for good; it will not become ready", { code: error.code });
      }),
  });

  let stopping = false;
  const readiness = (): Readiness => {
    if (stopping) return { ready: false, reason: ErrorCode.SHUTTING_DOWN };
    return link.connected ? { ready: true } : { ready: false, reason: ClientErrorCode.NOT_CONNECTED };
  };
  let documentText = "";
  const routes = allRoutes({ instanceId: config.instanceId, catalogue, gateway: link.client, receipts: link.receipts, readiness, metrics: metrics.registry, openapi: () => documentText });
  const openapi = buildOpenApi(routes, { version: VERSION, callerAuth: config.callerAuth });
  documentText = JSON.stringify(openapi);

  const stateOf = (request: FastifyRequest): RequestState | null => request.getDecorator<RequestState | null>(STATE);
  const registered: { method: string; url: string }[] = [];
  const app = Fastify({
    logger: false,
    bodyLimit: config.bodyLimitBytes,
    genReqId: requestIdOf,
    requestIdHeader: false,
    return503OnClosing: false,
    exposeHeadRoutes: false,
    ajv: { customOptions: { coerceTypes: false, useDefaults: false, removeAdditional: false, allErrors: true } },
  });

  // JSON only: fastify's default text/plain parser would let a text body through to validation.
  app.removeContentTypeParser("text/plain");

  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) registered.push({ method, url: route.url });
  });

  app.decorateRequest(STATE, null);
  app.addHook("onRequest", (request, reply, done) => {
    request.setDecorator<RequestState>(STATE, { caller: undefined, code: undefined, replayed: false });
    void reply.header("x-request-id", request.id);
    done();
  });

  app.addHook("onResponse", (request, reply, done) => {
    done();
    const state = stateOf(request);
    const route = request.routeOptions.url ?? "unmatched";
    const ms = reply.elapsedTime;
    const status = reply.statusCode;
    metrics.http.record(route, request.method, status, state?.code ?? "", ms / 1000);
    // Winston formats a line before its transports drop it by level: skip the work when info is off.
    if (!logger.isInfoEnabled()) return;
    const params = request.params as Record<string, string> | undefined;
    logger.info("http request", {
      requestId: request.id,
      method: request.method,
      route,
      status,
      ...(state?.code ? { code: state.code } : {}),
      ...(params?.["unitId"] ? { unitId: params["unitId"] } : {}),
      ...(state?.caller ? { caller: state.caller.sub } : {}),
      ...(state?.replayed ? { replayed: true } : {}),
      ms: Math.round(ms),
    });
  });

  const send = (request: FastifyRequest, reply: FastifyReply, result: Outcome | RawResponse): FastifyReply => {
    // While stopping, a kept-alive connection is closed after its response (server.close() waits for it).
    if (stopping) void reply.header("connection", "close");
    if (isRaw(result)) return reply.code(result.status).type(result.contentType).send(result.payload);
    const state = stateOf(request);
    const code = codeOf(result);
    if (state && code) state.code = code;
    if (result.headers) void reply.headers(result.headers);
    return reply.code(result.status).send(result.body);
  };

  /** What fastify does with a handler's rejection: the error handler answers it. */
  const fault = (reply: FastifyReply, error: unknown): void => {
    void reply.send(error instanceof Error ? error : new Error(String(error)));
  };

  app.setNotFoundHandler((request, reply) => send(request, reply, errorOutcome(BridgeErrorCode.NOT_FOUND)));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const refusal = outcomeOfHttpError(error);
    if (refusal) return send(request, reply, refusal);
    logger.error("bridge fault", { requestId: request.id, err: error.message, stack: error.stack });
    return send(request, reply, errorOutcome(ErrorCode.INTERNAL));
  });

  /** Runs a route, under its Idempotency-Key when it takes one and the caller sent one. */
  const run = (spec: RouteSpec, request: FastifyRequest, context: RouteContext): Promise<Outcome | RawResponse> | Outcome | RawResponse => {
    const key = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (!spec.idempotent || key === undefined) return spec.handle(context);
    return runIdempotently(idempotency, spec, key, context, () => {
      const state = stateOf(request);
      if (state) state.replayed = true;
      metrics.idempotencyReplays.inc({ route: spec.url });
    });
  };

  for (const spec of routes) {
    app.route({
      method: spec.method,
      url: spec.url,
      schema: { ...(spec.params ? { params: spec.params } : {}), ...(spec.body ? { body: spec.body } : {}) },
      ...(spec.kind === "api"
        ? {
            // Callback style: a caller whose token was verified recently is let through without a promise.
            onRequest: (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
              if (stopping) return void send(request, reply, errorOutcome(ErrorCode.SHUTTING_DOWN));
              const admit = (authentication: Authentication) => {
                if (!authentication.ok) {
                  metrics.authRefusals.inc({ code: authentication.code });
                  return void send(request, reply, authentication.outcome);
                }
                const state = stateOf(request);
                if (state) state.caller = authentication.caller;
                done();
              };
              const known = authenticator.known(request.headers.authorization);
              if (known) return admit(known);
              authenticator
                .authenticate(request.headers.authorization)
                .then(admit)
                .catch((error: unknown) => done(error instanceof Error ? error : new Error(String(error))));
            },
          }
        : {}),
      // No body at all is an empty one where the body is optional (a DELETE's); a body that is there is validated.
      ...(spec.bodyOptional
        ? {
            preValidation: async (request: FastifyRequest) => {
              if (request.body === undefined) request.body = {};
            },
          }
        : {}),
      // Callback style, one `then` when the route waits on the gateway: a fault goes to the error handler as fastify's own wrapper would send it.
      handler: (request, reply) => {
        const context: RouteContext = {
          requestId: request.id,
          caller: stateOf(request)?.caller ?? ANONYMOUS_CALLER,
          params: (request.params ?? {}) as Record<string, string>,
          body: request.body,
        };
        // A caller without a `scope` claim may do everything: its permission is not even spelled out.
        if (spec.permission && context.caller.scopes !== undefined && !callerMay(context.caller, spec.permission(context))) return void send(request, reply, forbidden());
        const result = run(spec, request, context);
        if (!(result instanceof Promise)) return void send(request, reply, result);
        result.then(
          (outcome) => {
            try {
              send(request, reply, outcome);
            } catch (error) {
              fault(reply, error);
            }
          },
          (error: unknown) => fault(reply, error),
        );
      },
    });
  }

  let stopped: Promise<void> | undefined;
  return {
    config,
    gateway: link.client,
    metrics,
    idempotency,
    openapi,
    readiness,
    registeredRoutes: () => registered.map((route) => ({ ...route })),
    connected: () => link.connect(),
    async start() {
      await jwks?.start();
      await app.listen({ port: config.port, host: config.host });
      const { port } = app.server.address() as AddressInfo;
      void link.connect();
      if (config.callerAuth === "off") {
        logger.warn("CALLER AUTHENTICATION IS OFF (BRIDGE_AUTH=off): anyone who reaches this port acts with the bridge's powers; run it only behind a trusted network", {
          port,
        });
      }
      logger.info("bridge started", { port, gateway: config.gatewayUrl, callerAuth: config.callerAuth, bridgeToken: describeTokenSource(config.bridgeToken) });
      const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
      return { port, url: `http://${host.includes(":") ? `[${host}]` : host}:${port}` };
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        const closing = app.close();
        await settledWithin(closing, config.shutdownGraceMs);
        // Whatever still waits on the gateway now ends SHUTTING_DOWN (CLIENT_CLOSED)...
        link.close();
        // ...and its response goes out; then any connection left open is closed.
        await settledWithin(closing, FINAL_RESPONSES_MS);
        app.server.closeAllConnections();
        await closing;
        idempotency.clear();
        logger.info("bridge stopped");
      })();
      return stopped;
    },
  };
}

/** Waits for `promise` (success or failure) or `ms`, whichever comes first. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  await Promise.race([promise.then(() => undefined, () => undefined), elapsed]);
  clearTimeout(timer);
}
