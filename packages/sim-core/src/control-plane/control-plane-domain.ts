import type { CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Scenario } from '../scenarios/types';
import type { Domains } from '../simulation';

export interface ControlPlaneSnapshotPart {
  readonly controlPlane: {
    readonly apiServers: readonly unknown[];
    readonly etcd: readonly unknown[];
    readonly nlbs: readonly unknown[];
  };
}

/** The managed control plane (seed §3). Placeholder until the foundation issue lands. */
export class ControlPlaneDomain implements Domain<ControlPlaneSnapshotPart> {
  readonly commands: readonly CommandSpec[] = [];
  constructor(
    private readonly ctx: SimContext<Domains>,
    private readonly scenario: Scenario,
  ) {}
  /** NLB nodes currently in the endpoint's public DNS answer (one per AZ with a healthy target). */
  nlbNodesInDns(): { id: string; az: string; ips: string[] }[] {
    return [];
  }

  /** Whether the control plane can answer a request of this kind now (healthy API server; etcd quorum for writes). */
  canServe(_kind: 'read' | 'write'): boolean {
    return true;
  }

  snapshot(): ControlPlaneSnapshotPart {
    void this.ctx;
    void this.scenario;
    return { controlPlane: { apiServers: [], etcd: [], nlbs: [] } };
  }
}
