import type { CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Domains } from '../simulation';

export interface VersionsSnapshotPart {
  readonly versions: Record<string, unknown>;
}

/** EKS version lifecycle (seed §1). Placeholder until the versions issue lands. */
export class VersionsDomain implements Domain<VersionsSnapshotPart> {
  readonly commands: readonly CommandSpec[] = [];
  constructor(private readonly ctx: SimContext<Domains>) {}
  snapshot(): VersionsSnapshotPart {
    void this.ctx;
    return { versions: {} };
  }
}
