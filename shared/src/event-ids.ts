/** Downstream event ids are positive integers that increase per unit; 0 means "nothing yet". */
export const NO_EVENT_ID = 0;

export function isEventId(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}
