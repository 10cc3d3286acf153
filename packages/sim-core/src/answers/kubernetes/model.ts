import type { VirtualClock } from '../../engine/clock';
import type { EventLog } from '../../engine/event-log';
import type { EksEni } from '../../network/types';
import type { WorkloadsDomain } from '../../workloads/workloads-domain';
import type { AnswerModel } from '../model';

/**
 * What the Kubernetes answers read: the EKS answers' view, the EKS-owned ENIs (the
 * `kubernetes` Service's endpoints), kube-system's workloads, the clock (ages) and the event
 * log (Events, resourceVersions). `sim.kubeModel()` on the server, the shell's context in kubectl.
 */
export interface KubeModel extends AnswerModel {
  readonly network: AnswerModel['network'] & { readonly enis: readonly EksEni[] };
  readonly workloads: Pick<WorkloadsDomain, 'pods' | 'nodes' | 'cordoned' | 'replicas' | 'corednsReplicaSet'>;
  readonly clock: Pick<VirtualClock, 'now'>;
  readonly log: Pick<EventLog, 'since' | 'lastSeq'>;
}
