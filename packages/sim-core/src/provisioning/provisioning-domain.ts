import type { CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Scenario } from '../scenarios/types';
import type { Domains } from '../simulation';

export interface ProvisioningSnapshotPart {
  readonly provisioning: { readonly stacks: readonly unknown[] };
}

/** eksctl's CloudFormation stacks and IAM roles (seed §4, §6). Placeholder until the shell issue lands. */
export class ProvisioningDomain implements Domain<ProvisioningSnapshotPart> {
  readonly commands: readonly CommandSpec[] = [];
  constructor(private readonly ctx: SimContext<Domains>) {}
  /**
   * A scenario that starts with the cluster built: record what eksctl would have made (stacks
   * CREATE_COMPLETE, IAM roles, eksctl's security groups, the node groups) at once.
   */
  adoptExistingCluster(scenario: Scenario): void {
    const network = this.ctx.domains.network;
    const cluster = scenario.cluster;
    network.addEksctlSecurityGroups({ clusterName: cluster.name });
    for (const ng of cluster.nodeGroups ?? []) {
      network.addEksctlSecurityGroups({ clusterName: cluster.name, nodegroupName: ng.name, sshAccess: ng.sshAccess });
      this.ctx.domains.nodegroups.create(ng, { immediate: true });
    }
  }

  snapshot(): ProvisioningSnapshotPart {
    void this.ctx;
    return { provisioning: { stacks: [] } };
  }
}
