/**
 * The Routing Engine: `route(principal, envelope, respond)` authorizes, validates, opens a pending entry
 * with a deadline and sends the request to the unit: on this node directly, otherwise through the
 * remote route. The pending registry guarantees the caller hears exactly one outcome.
 */
import { EventName, ErrorCode, type ErrorCode as Code, type Reply, type RequestEnvelope, type UnitRequest } from "@care-gateway/shared";
import type { MessageCatalogue } from "@care-gateway/shared/schemas";
import { identityOf, mayReachUnit, type Principal } from "../auth/principal.js";
import { scopeAllows } from "../auth/scopes.js";
import type { Presence } from "../connections/presence.js";
import type { UnitSession, UnitSessions } from "../connections/unit-sessions.js";
import { describeError } from "../messages/ack-listener.js";
import { errorReply } from "../messages/replies.js";
import type { Logger } from "../observability/logger.js";
import type { GatewayMetrics } from "../observability/metrics.js";
import type { PendingEntry, PendingKey, PendingRequests } from "./pending-requests.js";
import type { RemoteRoute } from "./remote-route.js";
import { replyFromUnitAnswer } from "./unit-answer.js";
import { RequestIds } from "./request-ids.js";

export interface RequestRouterDeps {
  nodeId: string;
  catalogue: MessageCatalogue;
  sessions: UnitSessions;
  presence: Presence;
  pending: PendingRequests;
  remote?: RemoteRoute;
  timeouts: { defaultMs: number; maxMs: number };
  metrics: GatewayMetrics;
  logger: Logger;
  /** True while the node drains: new requests are refused. */
  isDraining: () => boolean;
}

/** What a request needs of the router: its deps, and whether debug lines are written (asked once, not per request). */
type RoutedDeps = RequestRouterDeps & { readonly debugLogs: boolean };

export class RequestRouter {
  readonly #ids: RequestIds;
  private readonly deps: RoutedDeps;

  constructor(deps: RequestRouterDeps) {
    this.deps = { ...deps, debugLogs: deps.logger.isDebugEnabled() };
    this.#ids = new RequestIds(deps.nodeId);
  }

  /**
   * Routes one request; `refusal` (a limit the caller hit) ends it at once, counted like any outcome.
   * `respond` hears the outcome once, with the milliseconds from arrival to outcome.
   */
  route(principal: Principal, envelope: RequestEnvelope, respond: (reply: Reply, ms: number) => void, refusal?: Code): void {
    const { deps } = this;
    const routed = new RoutedRequest(deps, principal, envelope, envelope.id ?? this.#ids.correlationId(), respond);

    if (refusal) return routed.refuse(refusal);
    if (deps.isDraining()) return routed.refuse(ErrorCode.SHUTTING_DOWN);
    if (!mayReachUnit(principal, envelope.unitId) || !scopeAllows(principal, "request", envelope.type)) return routed.refuse(ErrorCode.FORBIDDEN);
    const payload = deps.catalogue.checkRequestPayload(envelope.type, envelope.payload);
    if (!payload.ok) return routed.refuse(payload.code, { issues: payload.issues });

    const timeoutMs = Math.min(envelope.timeoutMs ?? deps.timeouts.defaultMs, deps.timeouts.maxMs);
    const request: UnitRequest = {
      id: routed.id,
      type: envelope.type,
      payload: payload.value as UnitRequest["payload"],
      from: identityOf(principal),
      deadline: Date.now() + timeoutMs,
    };
    const session = deps.sessions.get(envelope.unitId);
    if (session) return this.#sendLocal(session, request, routed);
    void this.#sendRemote(envelope.unitId, request, routed);
  }

  /** Ends every request waiting on a unit session that just dropped. */
  sessionDropped(sessionId: string): void {
    this.deps.pending.settleSession(sessionId, () => errorReply(ErrorCode.UNIT_DISCONNECTED));
  }

  /** Ends every request forwarded to a node that lost its lease. */
  nodeLost(nodeId: string): void {
    this.deps.pending.settleSession(nodeId, () => errorReply(ErrorCode.UNIT_DISCONNECTED));
  }

  /**
   * Serves a request another node forwarded for a unit on this one. The entry here ends once, like
   * any other (answer, unit drop, deadline); `answer` carries the outcome back to the caller's node.
   */
  serveForwarded(key: string, unitId: string, request: UnitRequest, answer: (reply: Reply) => void): void {
    const session = this.deps.sessions.get(unitId);
    if (!session) return answer(errorReply(ErrorCode.UNIT_OFFLINE));
    const localKey = `fwd:${key}`;
    this.deps.pending.open(localKey, { unitId, sessionId: session.sessionId, finish: answer, timeoutReply }, request.deadline);
    session.socket.emit(EventName.REQUEST, request, (unitAnswer: unknown) => {
      this.settle(localKey, replyFromUnitAnswer(this.deps.catalogue, request.type, unitAnswer));
    });
  }

  /** Ends every request in flight (shutdown). */
  endAll(code: Code): void {
    this.deps.pending.settleAll(() => errorReply(code));
  }

  /** Sends `request` to the unit's socket on this node; its answer settles the entry. */
  #sendLocal(session: UnitSession, request: UnitRequest, routed: RoutedRequest): void {
    const key = this.#ids.localKey();
    routed.open(key, session.unitId, session.sessionId, request.deadline);
    const { catalogue } = this.deps;
    session.socket.emit(EventName.REQUEST, request, (answer: unknown) => {
      this.settle(key, replyFromUnitAnswer(catalogue, request.type, answer));
    });
  }

  async #sendRemote(unitId: string, request: UnitRequest, routed: RoutedRequest): Promise<void> {
    const { deps } = this;
    let location;
    try {
      location = await deps.presence.locate(unitId);
    } catch (error) {
      deps.logger.warn("presence lookup failed", { requestId: request.id, unitId, err: describeError(error).message });
      return routed.finish(errorReply(ErrorCode.INTERNAL));
    }
    // A unit that connected here while we looked it up is served locally.
    const local = deps.sessions.get(unitId);
    if (local) return this.#sendLocal(local, request, routed);
    if (!location || location.nodeId === deps.nodeId || !deps.remote) return routed.finish(errorReply(ErrorCode.UNIT_OFFLINE));
    const key = this.#ids.key();
    routed.open(key, unitId, location.nodeId, request.deadline);
    deps.remote.forward(location, key, request, (k, reply) => this.settle(k, reply));
  }

  /** Ends a pending request with an answer; a late one is dropped and counted. */
  settle(key: PendingKey, reply: Reply): void {
    if (!this.deps.pending.settle(key, reply)) this.deps.metrics.lateAnswers.inc();
  }
}

function timeoutReply(): Reply {
  return errorReply(ErrorCode.TIMEOUT);
}

/**
 * One caller's request on this node, from arrival to its one outcome: counted, timed, logged (at
 * debug, without the payload) and answered with the caller's correlation id. Refusals end it at once;
 * a request sent on is a pending entry until the registry settles it. One object per request holds
 * what the closures of a first version each captured.
 */
class RoutedRequest implements PendingEntry {
  readonly #started = performance.now();
  /** The `type` label: the request's type when the catalogue knows it, else "unknown". */
  readonly type: string;
  unitId: string;
  sessionId = "";
  /** True once the registry holds it (and counts it in flight). */
  #pending = false;

  constructor(
    private readonly deps: RoutedDeps,
    private readonly principal: Principal,
    private readonly envelope: RequestEnvelope,
    readonly id: string,
    private readonly respond: (reply: Reply, ms: number) => void,
  ) {
    this.unitId = envelope.unitId;
    this.type = deps.catalogue.hasRequest(envelope.type) ? envelope.type : "unknown";
  }

  /** Ends the request here, before it is sent. */
  refuse(code: Code, details?: unknown): void {
    this.finish(errorReply(code, details));
  }

  /** Registers the request as pending on `sessionId` (a unit socket, or the node it is forwarded to). */
  open(key: PendingKey, unitId: string, sessionId: string, deadline: number): void {
    this.unitId = unitId;
    this.sessionId = sessionId;
    this.#pending = true;
    this.deps.metrics.requestsInFlight.inc();
    this.deps.pending.open(key, this, deadline);
  }

  /** The outcome: from the registry once the request is pending, directly before. */
  finish(reply: Reply): void {
    const { deps } = this;
    if (this.#pending) deps.metrics.requestsInFlight.dec();
    const outcome = reply.ok ? "ok" : reply.error.code;
    const ms = performance.now() - this.#started;
    deps.metrics.requestOutcomes.record(this.type, outcome, ms / 1000);
    if (deps.debugLogs) {
      const { principal } = this;
      deps.logger.debug("request ended", { requestId: this.id, unitId: this.envelope.unitId, sub: principal.sub, role: principal.role, type: this.type, outcome, ms: Math.round(ms) });
    }
    reply.id = this.id;
    this.respond(reply, ms);
  }

  timeoutReply(): Reply {
    return timeoutReply();
  }
}
