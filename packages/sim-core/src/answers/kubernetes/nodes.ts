import { platformVersionOn } from '../../versions/server-version';
import type { KubeModel } from './model';
import { versionDocument } from './version';

/** A Node as `kubectl get nodes` shows it: the model's worker nodes that joined the cluster. */
export interface NodeView {
  readonly name: string;
  /** `Ready`, `NotReady`, and `,SchedulingDisabled` after it while cordoned or drained. */
  readonly status: string;
  /** Whether the kubelet posts Ready now. */
  readonly ready: boolean;
  readonly unschedulable: boolean;
  readonly roles: string;
  readonly createdAtMs: number;
  /** The kubelet's gitVersion, `v1.28.15-eks-…`. */
  readonly kubeletVersion: string;
  readonly internalIp: string;
  readonly externalIp: string | null;
  readonly osImage: string;
  readonly kernelVersion: string;
  readonly containerRuntime: string;
  readonly az: string;
  readonly instanceId: string;
  readonly instanceType: string;
  readonly nodegroup: string;
}

/** Every node the API server knows now (a node still launching or terminated is not a Node). */
export function nodeViews(model: Pick<KubeModel, 'workloads' | 'nodegroups'>): NodeView[] {
  const cordoned = new Set(model.workloads.cordoned);
  const groupOf = new Map(model.nodegroups.all.flatMap((g) => g.nodes.map((n) => [n.name, g] as const)));
  return model.workloads.nodes().map(({ node, createdAtMs }) => {
    const ready = node.state === 'Ready';
    // A node a managed node group drains for deletion or an upgrade is cordoned by EKS.
    const unschedulable = cordoned.has(node.name) || node.state === 'draining';
    return {
      name: node.name,
      status: `${ready || node.state === 'draining' ? 'Ready' : 'NotReady'}${unschedulable ? ',SchedulingDisabled' : ''}`,
      ready: ready || node.state === 'draining',
      unschedulable,
      roles: '<none>',
      createdAtMs,
      // The kubelet of the AMI EKS released for that minor by the node's creation day.
      kubeletVersion: versionDocument(node.kubeletVersion, platformVersionOn(node.kubeletVersion, createdAtMs))
        .gitVersion,
      internalIp: node.privateIp,
      externalIp: node.publicIp,
      // The EKS-optimized Amazon Linux 2 AMI of the seed's era.
      osImage: 'Amazon Linux 2',
      kernelVersion: '5.10.210-201.852.amzn2.x86_64',
      containerRuntime: 'containerd://1.7.11',
      az: node.az,
      instanceId: node.instanceId,
      instanceType: groupOf.get(node.name)?.instanceType ?? 't3.medium',
      nodegroup: groupOf.get(node.name)?.name ?? '',
    };
  });
}
