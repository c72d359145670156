/**
 * Targeted routing between nodes: a request for a unit on another node goes to that node's inbox
 * alone; its outcome comes back on the caller's node inbox and settles the caller's pending entry,
 * which owns the deadline. (Not the adapter's broadcast-with-ack: it fans out to every node and
 * leaks acks, socket.io issue 4984.)
 */
import { ErrorCode, type Reply, type UnitRequest } from "@care-gateway/shared";
import type { UnitLocation } from "../connections/presence.js";
import { errorReply } from "../messages/replies.js";
import type { RemoteRoute } from "../routing/remote-route.js";
import type { NodeChannels } from "./node-channels.js";
import type { NodeMessage } from "./node-messages.js";

export interface ForwardedRequestHandler {
  serveForwarded(key: string, unitId: string, request: UnitRequest, answer: (reply: Reply) => void): void;
  settle(key: string, reply: Reply): void;
}

/** A request is passed on at most this many times when it reaches a node the unit has left. */
const MAX_HOPS = 2;

export class RedisRoute implements RemoteRoute {
  constructor(
    private readonly channels: NodeChannels,
    private readonly nodeId: string,
    /** Fresh presence (not the cache) and this node's own units. */
    private readonly where: { locate(unitId: string): Promise<UnitLocation | undefined>; isLocal(unitId: string): boolean },
  ) {}

  forward(location: UnitLocation, key: string, request: UnitRequest, settle: (key: string, reply: Reply) => void): void {
    const message: NodeMessage = { kind: "request", origin: this.nodeId, key, unitId: location.unitId, request };
    void this.channels.send(location.nodeId, message).then((sent) => {
      if (!sent) settle(key, errorReply(ErrorCode.INTERNAL, { reason: "cluster channel unavailable" }));
    });
  }

  /** The caller's node had an outdated location: find the unit's node now and send the request there. */
  async #passOn(message: Extract<NodeMessage, { kind: "request" }>, router: ForwardedRequestHandler): Promise<void> {
    const location = await this.where.locate(message.unitId).catch(() => undefined);
    if (!location || location.nodeId === this.nodeId) return this.#serve(message, router);
    const sent = await this.channels.send(location.nodeId, { ...message, hops: (message.hops ?? 0) + 1 });
    if (!sent) this.#serve(message, router);
  }

  #serve(message: Extract<NodeMessage, { kind: "request" }>, router: ForwardedRequestHandler): void {
    router.serveForwarded(message.key, message.unitId, message.request, (reply) => {
      // The caller's node owns the deadline and has answered TIMEOUT itself.
      if (!reply.ok && reply.error.code === ErrorCode.TIMEOUT) return;
      void this.channels.send(message.origin, { kind: "reply", key: message.key, reply });
    });
  }

  /** Handles inbox traffic about requests; returns false for messages of another kind. */
  handle(message: NodeMessage, router: ForwardedRequestHandler): boolean {
    if (message.kind === "request") {
      if (!this.where.isLocal(message.unitId) && (message.hops ?? 0) < MAX_HOPS) {
        void this.#passOn(message, router);
        return true;
      }
      this.#serve(message, router);
      return true;
    }
    if (message.kind === "reply") {
      router.settle(message.key, message.reply);
      return true;
    }
    return false;
  }
}
