/** Upstream traffic fanned out to watchers: portals subscribed to the unit, and every bridge socket. */
import type { DeliveryReceipt, UnitEventBroadcast, UnitStatus } from "@care-gateway/shared";
import { EventName } from "@care-gateway/shared";
import { principalRoom, watchRoom, type BridgeNamespace, type PortalNamespace } from "./socket-types.js";

export class Broadcasts {
  constructor(
    private readonly portal: PortalNamespace,
    private readonly bridge: BridgeNamespace,
  ) {}

  unitStatus(status: UnitStatus): void {
    this.portal.to(watchRoom(status.unitId)).emit(EventName.UNIT_STATUS, status);
    this.bridge.emit(EventName.UNIT_STATUS, status);
  }

  /** To every bridge socket of the principal that asked for it, on any node. */
  receipt(sub: string, receipt: DeliveryReceipt): void {
    this.bridge.to(principalRoom(sub)).emit(EventName.DELIVERY_RECEIPT, receipt);
  }

  unitEvent(event: UnitEventBroadcast): void {
    this.portal.to(watchRoom(event.unitId)).emit(EventName.UNIT_EVENT, event);
    this.bridge.emit(EventName.UNIT_EVENT, event);
  }
}
