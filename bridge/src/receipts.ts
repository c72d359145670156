/**
 * Collects the gateway's `delivery:receipt`s for the bridge's own publishes, by publish id. A
 * collector is opened before the publish is sent (a fast unit's receipt can beat the publish ack)
 * and closed when the HTTP answer goes out; receipts for no open collector are dropped.
 */
import type { BridgeClient } from "@care-gateway/client-sdk";
import type { DeliveryReceipt } from "@care-gateway/shared";

export interface ReceiptCollector {
  /** Resolves with the receipts once `count` arrived, or with those that did when `timeoutMs` passes. */
  wait(count: number, timeoutMs: number): Promise<DeliveryReceipt[]>;
  close(): void;
}

export class Receipts {
  readonly #open = new Map<string, { receipts: DeliveryReceipt[]; changed?: () => void }>();

  constructor(client: BridgeClient) {
    client.onReceipt((receipt) => {
      const entry = this.#open.get(receipt.id);
      if (!entry) return;
      entry.receipts.push(receipt);
      entry.changed?.();
    });
  }

  open(publishId: string): ReceiptCollector {
    const entry: { receipts: DeliveryReceipt[]; changed?: () => void } = { receipts: [] };
    this.#open.set(publishId, entry);
    return {
      wait: (count, timeoutMs) =>
        new Promise((resolve) => {
          const done = () => {
            clearTimeout(timer);
            delete entry.changed;
            resolve([...entry.receipts]);
          };
          const timer = setTimeout(done, timeoutMs);
          entry.changed = () => {
            if (entry.receipts.length >= count) done();
          };
          entry.changed();
        }),
      close: () => {
        if (this.#open.get(publishId) === entry) this.#open.delete(publishId);
      },
    };
  }
}
