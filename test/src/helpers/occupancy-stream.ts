/** The next `occupancy` an admin socket receives that satisfies `ready`. */
import type { Socket } from "socket.io-client";
import type { Occupancy } from "@care-gateway/shared";

export function occupancyWhere(socket: Socket, ready: (o: Occupancy) => boolean): Promise<Occupancy> {
  return new Promise((resolve) => {
    const listener = (o: Occupancy) => {
      if (!ready(o)) return;
      socket.off("occupancy", listener);
      resolve(o);
    };
    socket.on("occupancy", listener);
  });
}
