import { isoTime } from '../../../engine/duration';
import { DEFAULT_CAPACITY, INSTANCE_CAPACITY } from '../../../workloads/facts';
import { hexDigits, stableUid } from '../../../workloads/names';
import type { KubeModel } from '../model';
import { type NodeView, nodeViews } from '../nodes';
import { type KubeObject, kubeTime, meta, versioned } from './meta';

function nodeObject(model: KubeModel, view: NodeView): KubeObject {
  const region = model.cluster.region;
  const capacity = INSTANCE_CAPACITY[view.instanceType] ?? DEFAULT_CAPACITY;
  const since = kubeTime(view.createdAtMs);
  // Fixed, so a Node changes (and a watch hears of it) only when its state does.
  const heartbeat = since;
  const kubelet = view.kubeletVersion;
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: view.ready ? 'False' : 'Unknown',
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: since,
    reason: view.ready ? reason : 'NodeStatusUnknown',
    message: view.ready ? message : 'Kubelet stopped posting node status.',
  });
  const taints = [
    ...(view.unschedulable
      ? [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: since }]
      : []),
    ...(view.ready
      ? []
      : [
          { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: since },
          { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: since },
        ]),
  ];
  const id = hexDigits(view.instanceId, 32);
  return versioned({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(model, 'Node', view.name, view.createdAtMs, {
      labels: {
        'alpha.eksctl.io/cluster-name': model.cluster.cluster?.name ?? '',
        'alpha.eksctl.io/nodegroup-name': view.nodegroup,
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': view.instanceType,
        'beta.kubernetes.io/os': 'linux',
        'eks.amazonaws.com/capacityType': 'ON_DEMAND',
        'eks.amazonaws.com/nodegroup': view.nodegroup,
        'failure-domain.beta.kubernetes.io/region': region,
        'failure-domain.beta.kubernetes.io/zone': view.az,
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': view.name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': view.instanceType,
        'topology.kubernetes.io/region': region,
        'topology.kubernetes.io/zone': view.az,
      },
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': view.internalIp,
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    }),
    spec: {
      providerID: `aws:///${view.az}/${view.instanceId}`,
      ...(view.unschedulable ? { unschedulable: true } : {}),
      ...(taints.length ? { taints } : {}),
    },
    status: {
      capacity: {
        cpu: String(capacity.cpu),
        'ephemeral-storage': '20959212Ki',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${capacity.memoryMiB * 1024 - 150_000}Ki`,
        pods: String(capacity.maxPods),
      },
      allocatable: {
        cpu: `${capacity.cpu * 1000 - 70}m`,
        'ephemeral-storage': '18242267924',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${capacity.memoryMiB * 1024 - 700_000}Ki`,
        pods: String(capacity.maxPods),
      },
      conditions: [
        condition('MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        {
          ...condition('Ready', 'KubeletReady', 'kubelet is posting ready status'),
          ...(view.ready ? { status: 'True' } : {}),
        },
      ],
      addresses: [
        { type: 'InternalIP', address: view.internalIp },
        ...(view.externalIp ? [{ type: 'ExternalIP', address: view.externalIp }] : []),
        { type: 'InternalDNS', address: view.name },
        { type: 'Hostname', address: view.name },
        ...(view.externalIp
          ? [
              {
                type: 'ExternalDNS',
                address: `ec2-${view.externalIp.replaceAll('.', '-')}.${region}.compute.amazonaws.com`,
              },
            ]
          : []),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: id,
        systemUUID: `ec2${id.slice(3, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
        bootID: stableUid(`boot/${view.instanceId}/${kubelet}`),
        kernelVersion: view.kernelVersion,
        osImage: view.osImage,
        containerRuntimeVersion: view.containerRuntime,
        kubeletVersion: kubelet,
        kubeProxyVersion: kubelet,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  });
}

export function nodeObjects(model: KubeModel): KubeObject[] {
  return nodeViews(model).map((view) => nodeObject(model, view));
}

/**
 * Each node's Lease in `kube-node-lease`: the kubelet's heartbeat (Kubernetes docs, "Leases":
 * renewed every 10 s). A NotReady node stopped renewing when it lost the API server.
 */
export function leaseObjects(model: KubeModel): KubeObject[] {
  const now = model.clock.now();
  return nodeViews(model).map((view) => {
    // Renewed within the last 10 s while the kubelet reaches the API server.
    const renewed = view.ready ? now - (now % 10_000) : view.createdAtMs;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        ...meta(model, 'Lease', view.name, view.createdAtMs, { namespace: 'kube-node-lease' }),
        ownerReferences: [
          {
            apiVersion: 'v1',
            kind: 'Node',
            name: view.name,
            uid: stableUid(`${model.cluster.cluster?.name ?? ''}/Node//${view.name}`),
          },
        ],
        resourceVersion: String(Math.floor(renewed / 1000) % 100_000_000),
      },
      spec: {
        holderIdentity: view.name,
        leaseDurationSeconds: 40,
        renewTime: `${isoTime(renewed).slice(0, 19)}.000000Z`,
      },
    };
  });
}
