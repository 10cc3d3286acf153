import type { CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Domains } from '../simulation';

export interface CostSnapshotPart {
  readonly cost: { readonly totalUsd: number };
}

/** What the customer pays (seed §2.2). Placeholder until the versions issue lands. */
export class CostDomain implements Domain<CostSnapshotPart> {
  readonly commands: readonly CommandSpec[] = [];
  constructor(private readonly ctx: SimContext<Domains>) {}
  snapshot(): CostSnapshotPart {
    void this.ctx;
    return { cost: { totalUsd: 0 } };
  }
}
