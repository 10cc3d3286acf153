import type { CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Scenario, ScenarioNodeGroup } from '../scenarios/types';
import type { Domains } from '../simulation';
import type { NodegroupRecord, NodegroupsSnapshotPart } from './types';

/** The data plane's managed node groups (seed §4.2). Placeholder: nodes are placed by the network issue. */
export class NodegroupsDomain implements Domain<NodegroupsSnapshotPart> {
  readonly commands: readonly CommandSpec[] = [];
  protected readonly groups: NodegroupRecord[] = [];

  constructor(
    protected readonly ctx: SimContext<Domains>,
    protected readonly scenario: Scenario,
  ) {}

  get all(): readonly NodegroupRecord[] {
    return this.groups;
  }

  find(name: string): NodegroupRecord | undefined {
    return this.groups.find((g) => g.name === name);
  }

  /**
   * Creates a managed node group; its nodes launch over a few simulated minutes, or at once
   * with `immediate` (a scenario that starts with the cluster built).
   */
  create(_spec: ScenarioNodeGroup, _opts: { immediate?: boolean } = {}): NodegroupRecord | string {
    return 'node groups are not modelled yet';
  }

  snapshot(): NodegroupsSnapshotPart {
    return { nodegroups: JSON.parse(JSON.stringify(this.groups)) as NodegroupRecord[] };
  }
}
