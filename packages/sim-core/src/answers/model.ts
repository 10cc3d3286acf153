import type { AddonRecord } from '../addons/addons-domain';
import type { ClusterRecord } from '../cluster/types';
import type { NodegroupRecord, NodegroupUpgradeView } from '../nodegroups/types';

/**
 * What the answers read from the model: a narrow, read-only view that the simulation's
 * domains already are (`sim.domains` on the server, `ctx.domains` in the shell), so the
 * answer layer depends on records, not on the simulation.
 */
export interface AnswerModel {
  readonly cluster: { readonly cluster: ClusterRecord | null; readonly region: string };
  readonly network: { readonly vpcCidr: string };
  readonly nodegroups: {
    readonly all: readonly NodegroupRecord[];
    /** Every UpdateNodegroupVersion started, oldest first. */
    readonly upgrades: readonly NodegroupUpgradeView[];
  };
  readonly addons: { readonly all: readonly AddonRecord[] };
}
