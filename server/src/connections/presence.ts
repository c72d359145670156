/**
 * Presence: which node owns which unit. In-memory on a single node; in a cluster, Redis with
 * per-node leases. Every implementation passes the same test suite.
 */
export interface UnitLocation {
  unitId: string;
  nodeId: string;
  /** The socket id of the owning connection. */
  sessionId: string;
  connectedAt: number;
}

export interface Presence {
  /** Records that this session now owns the unit; resolves to the location it replaced, if any. */
  claim(location: UnitLocation): Promise<UnitLocation | undefined>;
  /** Forgets the unit if `sessionId` still owns it; resolves true when it did. */
  release(unitId: string, sessionId: string): Promise<boolean>;
  locate(unitId: string): Promise<UnitLocation | undefined>;
  list(): Promise<UnitLocation[]>;
  close(): Promise<void>;
}
