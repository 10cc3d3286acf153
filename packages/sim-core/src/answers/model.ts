import type { ClusterRecord } from '../cluster/types';
import type { NodegroupRecord } from '../nodegroups/types';

/**
 * What the answers read from the model: a narrow, read-only view that the simulation's
 * domains already are (`sim.domains` on the server, `ctx.domains` in the shell), so the
 * answer layer depends on records, not on the simulation.
 */
export interface AnswerModel {
  readonly cluster: { readonly cluster: ClusterRecord | null; readonly region: string };
  readonly network: { readonly vpcCidr: string };
  readonly nodegroups: { readonly all: readonly NodegroupRecord[] };
}
