import type { AnswerModel } from '../model';
import { versionDocument } from './version';

/** A Node as `kubectl get nodes` shows it: the model's worker nodes that joined the cluster. */
export interface NodeView {
  readonly name: string;
  /** `Ready`, `NotReady`, or `Ready,SchedulingDisabled` while cordoned for a drain. */
  readonly status: string;
  readonly roles: string;
  readonly createdAtMs: number;
  /** The kubelet's gitVersion, `v1.28.15-eks-…`. */
  readonly kubeletVersion: string;
  readonly internalIp: string;
  readonly externalIp: string | null;
  readonly osImage: string;
  readonly kernelVersion: string;
  readonly containerRuntime: string;
}

/** Every node the API server knows now (a node still launching or terminated is not a Node). */
export function nodeViews(model: AnswerModel): NodeView[] {
  const views: NodeView[] = [];
  for (const group of model.nodegroups.all) {
    for (const node of group.nodes) {
      if (node.state === 'launching' || node.state === 'terminated') continue;
      views.push({
        name: node.name,
        status: node.state === 'Ready' ? 'Ready' : node.state === 'draining' ? 'Ready,SchedulingDisabled' : 'NotReady',
        roles: '<none>',
        createdAtMs: group.createdAtMs,
        kubeletVersion: versionDocument(node.kubeletVersion).gitVersion,
        internalIp: node.privateIp,
        externalIp: node.publicIp,
        // The EKS-optimized Amazon Linux 2 AMI of the seed's era.
        osImage: 'Amazon Linux 2',
        kernelVersion: '5.10.210-201.852.amzn2.x86_64',
        containerRuntime: 'containerd://1.7.11',
      });
    }
  }
  return views;
}
