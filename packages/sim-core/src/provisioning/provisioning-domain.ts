import type { CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Domains } from '../simulation';

export interface ProvisioningSnapshotPart {
  readonly provisioning: { readonly stacks: readonly unknown[] };
}

/** eksctl's CloudFormation stacks and IAM roles (seed §4, §6). Placeholder until the shell issue lands. */
export class ProvisioningDomain implements Domain<ProvisioningSnapshotPart> {
  readonly commands: readonly CommandSpec[] = [];
  constructor(private readonly ctx: SimContext<Domains>) {}
  snapshot(): ProvisioningSnapshotPart {
    void this.ctx;
    return { provisioning: { stacks: [] } };
  }
}
