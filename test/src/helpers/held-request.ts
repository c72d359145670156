/** A request the unit has received and is holding: the starting point of every "what if … mid-request" test. */
import type { Socket } from "socket.io-client";
import { Namespace, type RequestReply } from "@care-gateway/shared";
import { fakeUnit, type FakeUnit } from "./fake-unit.js";
import { ask, connect } from "./raw-client.js";
import { bridgeToken } from "./tokens.js";

export interface HeldRequest {
  unit: FakeUnit;
  bridge: Socket;
  /** The caller's reply, once the request ends. */
  reply: Promise<RequestReply>;
}

export async function holdRequest(unitUrl: string, callerUrl: string = unitUrl, timeoutMs = 60_000): Promise<HeldRequest> {
  const unit = await fakeUnit(unitUrl, "U-1");
  unit.answer(() => undefined);
  const bridge = await connect(callerUrl, Namespace.bridge, bridgeToken());
  const reply = ask<RequestReply>(bridge, "request", { unitId: "U-1", type: "unit.ping", payload: {}, timeoutMs });
  await unit.receivedRequests(1);
  return { unit, bridge, reply };
}
