import type { CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Domains } from '../simulation';

export interface EndpointSnapshotPart {
  readonly endpoint: Record<string, unknown>;
}

/** Endpoint access modes and reachability (seed §8). Placeholder until the endpoint issue lands. */
export class EndpointDomain implements Domain<EndpointSnapshotPart> {
  readonly commands: readonly CommandSpec[] = [];
  constructor(private readonly ctx: SimContext<Domains>) {}
  snapshot(): EndpointSnapshotPart {
    void this.ctx;
    return { endpoint: {} };
  }
}
