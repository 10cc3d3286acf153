import { isoTime } from '../../engine/duration';
import { hashName } from '../../engine/prng';
import { addonImages, DEFAULT_CAPACITY, INSTANCE_CAPACITY } from '../../workloads/facts';
import { hexDigits, nameSuffix, stableUid } from '../../workloads/names';
import {
  COREDNS,
  DAEMONSETS,
  type DaemonSetName,
  KUBE_SYSTEM,
  type PodPlacement,
} from '../../workloads/workloads-domain';
import { serviceIpv4Cidr } from '../eks/shapes';
import type { KubeModel } from './model';
import { type NodeView, nodeViews } from './nodes';
import { versionDocument } from './version';

/**
 * The cluster's Kubernetes objects as the API server returns them (`kubectl get -o yaml`),
 * made from the model each time they are asked for: Namespaces, Nodes, kube-system's pods and
 * their DaemonSets, Deployment and ReplicaSet, the `kubernetes` and `kube-dns` Services and
 * their Endpoints and EndpointSlices, ConfigMaps (`aws-auth` among them) and Events from the
 * event log. Shapes follow the Kubernetes API reference (kubernetes.io/docs/reference/kubernetes-api/).
 */

export type KubeObject = {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
};

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly uid: string;
  readonly resourceVersion: string;
  readonly creationTimestamp: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly Readonly<Record<string, unknown>>[];
  readonly generateName?: string;
  readonly generation?: number;
}

/** `2024-03-10T09:00:00Z`: Kubernetes writes times to the second. */
export const kubeTime = (ms: number): string => `${isoTime(ms).slice(0, 19)}Z`;

export const NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;

/** A resourceVersion that changes exactly when the object does. */
function versioned<T extends { metadata: Omit<ObjectMeta, 'resourceVersion'> }>(
  object: T,
): T & { metadata: ObjectMeta } {
  const rv = String(hashName(JSON.stringify(object)) % 100_000_000);
  return { ...object, metadata: { ...object.metadata, resourceVersion: rv } } as T & { metadata: ObjectMeta };
}

function meta(
  model: KubeModel,
  kind: string,
  name: string,
  createdAtMs: number,
  extra: Partial<Omit<ObjectMeta, 'name' | 'uid' | 'resourceVersion' | 'creationTimestamp'>> = {},
) {
  const cluster = model.cluster.cluster?.name ?? '';
  return {
    name,
    ...(extra.namespace === undefined ? {} : { namespace: extra.namespace }),
    uid: stableUid(`${cluster}/${kind}/${extra.namespace ?? ''}/${name}`),
    creationTimestamp: kubeTime(createdAtMs),
    ...extra,
  };
}

const clusterCreatedAt = (model: KubeModel): number => model.cluster.cluster?.createdAtMs ?? model.clock.now();

export function namespaceObjects(model: KubeModel): KubeObject[] {
  return NAMESPACES.map((name) =>
    versioned({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta(model, 'Namespace', name, clusterCreatedAt(model), {
        labels: { 'kubernetes.io/metadata.name': name },
      }),
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    }),
  );
}

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

/** The add-on images and the cluster's patch release, for the workloads' pod templates. */
function images(model: KubeModel) {
  const version = model.cluster.cluster?.version ?? '1.28';
  return addonImages(
    version,
    versionDocument(version).gitVersion.replace(/^v/, '').split('-')[0] ?? '',
    model.cluster.region,
  );
}

interface Template {
  readonly labels: Record<string, string>;
  readonly containers: readonly { name: string; image: string; ports?: readonly Record<string, unknown>[] }[];
  readonly serviceAccountName: string;
  readonly priorityClassName: string;
  readonly hostNetwork: boolean;
}

function templateOf(model: KubeModel, app: DaemonSetName | typeof COREDNS): Template {
  const img = images(model);
  if (app === 'aws-node') {
    return {
      labels: {
        'app.kubernetes.io/instance': 'aws-vpc-cni',
        'app.kubernetes.io/name': 'aws-node',
        'k8s-app': 'aws-node',
      },
      containers: [
        { name: 'aws-node', image: img.awsNode, ports: [{ containerPort: 61678, name: 'metrics', protocol: 'TCP' }] },
        {
          name: 'aws-eks-nodeagent',
          image: img.awsNode
            .replace('amazon-k8s-cni', 'amazon/aws-network-policy-agent')
            .replace(/:.*/, ':v1.0.7-eksbuild.1'),
        },
      ],
      serviceAccountName: 'aws-node',
      priorityClassName: 'system-node-critical',
      hostNetwork: true,
    };
  }
  if (app === 'kube-proxy') {
    return {
      labels: { 'k8s-app': 'kube-proxy' },
      containers: [{ name: 'kube-proxy', image: img.kubeProxy }],
      serviceAccountName: 'kube-proxy',
      priorityClassName: 'system-node-critical',
      hostNetwork: true,
    };
  }
  return {
    labels: { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' },
    containers: [
      {
        name: 'coredns',
        image: img.coredns,
        ports: [
          { containerPort: 53, name: 'dns', protocol: 'UDP' },
          { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
          { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
        ],
      },
    ],
    serviceAccountName: 'coredns',
    priorityClassName: 'system-cluster-critical',
    hostNetwork: false,
  };
}

/** A pod's IP: the node's own for host-network pods, else one from the node's subnet (the VPC CNI). */
function podIp(node: NodeView | undefined, pod: PodPlacement, hostNetwork: boolean): string | undefined {
  if (!node) return undefined;
  if (hostNetwork) return node.internalIp;
  const parts = node.internalIp.split('.');
  const last = 10 + (hashName(pod.name) % 200);
  return [parts[0], parts[1], parts[2], String(last === Number(parts[3]) ? last + 1 : last)].join('.');
}

function podObject(model: KubeModel, pod: PodPlacement, nodes: ReadonlyMap<string, NodeView>): KubeObject {
  const t = templateOf(model, pod.app);
  const node = pod.nodeName ? nodes.get(pod.nodeName) : undefined;
  const running = node !== undefined;
  const ready = running && node.ready;
  const started = kubeTime(pod.createdAtMs);
  const owner = pod.owner;
  const ip = podIp(node, pod, t.hostNetwork);
  const condition = (type: string, status: boolean) => ({
    type,
    status: status ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: started,
  });
  const labels =
    owner.kind === 'DaemonSet'
      ? {
          ...t.labels,
          'controller-revision-hash': nameSuffix(`${owner.name}/revision`, 10).replace(/[^0-9a-f]/g, '5'),
          'pod-template-generation': '1',
        }
      : { ...t.labels, 'pod-template-hash': owner.name.slice(COREDNS.length + 1) };
  return versioned({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(model, 'Pod', pod.name, pod.createdAtMs, {
      namespace: KUBE_SYSTEM,
      generateName: `${owner.kind === 'DaemonSet' ? owner.name : owner.name}-`,
      labels,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: owner.kind,
          name: owner.name,
          uid: stableUid(`${model.cluster.cluster?.name ?? ''}/${owner.kind}/${KUBE_SYSTEM}/${owner.name}`),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    }),
    spec: {
      containers: t.containers.map((c) => ({
        name: c.name,
        image: c.image,
        imagePullPolicy: 'IfNotPresent',
        ...(c.ports ? { ports: c.ports } : {}),
        resources:
          pod.app === COREDNS
            ? { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } }
            : { requests: { cpu: pod.app === 'aws-node' ? '25m' : '100m' } },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      })),
      dnsPolicy: pod.app === COREDNS ? 'Default' : 'ClusterFirst',
      enableServiceLinks: true,
      ...(t.hostNetwork ? { hostNetwork: true } : {}),
      ...(pod.nodeName ? { nodeName: pod.nodeName } : {}),
      preemptionPolicy: 'PreemptLowerPriority',
      priority: t.priorityClassName === 'system-node-critical' ? 2000001000 : 2000000000,
      priorityClassName: t.priorityClassName,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: t.serviceAccountName,
      serviceAccountName: t.serviceAccountName,
      terminationGracePeriodSeconds: 30,
      tolerations:
        owner.kind === 'DaemonSet'
          ? [{ operator: 'Exists' }]
          : [
              { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' },
              { key: 'CriticalAddonsOnly', operator: 'Exists' },
              { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
              {
                effect: 'NoExecute',
                key: 'node.kubernetes.io/unreachable',
                operator: 'Exists',
                tolerationSeconds: 300,
              },
            ],
    },
    status: running
      ? {
          phase: 'Running',
          conditions: [
            condition('PodReadyToStartContainers', ready),
            condition('Initialized', true),
            condition('Ready', ready),
            condition('ContainersReady', ready),
            condition('PodScheduled', true),
          ],
          hostIP: node.internalIp,
          hostIPs: [{ ip: node.internalIp }],
          podIP: ip,
          podIPs: [{ ip }],
          startTime: started,
          qosClass: pod.app === COREDNS ? 'Burstable' : 'Burstable',
          containerStatuses: t.containers.map((c) => ({
            name: c.name,
            image: c.image,
            imageID: `${c.image.split(':')[0]}@sha256:${hexDigits(c.image, 64)}`,
            containerID: `containerd://${hexDigits(`${pod.name}/${c.name}`, 64)}`,
            ready,
            restartCount: 0,
            started: ready,
            state: { running: { startedAt: started } },
          })),
        }
      : {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              lastProbeTime: null,
              lastTransitionTime: started,
              reason: 'Unschedulable',
              message: unschedulableMessage(model),
            },
          ],
          qosClass: 'Burstable',
        },
  });
}

/** The scheduler's verdict when no node takes a pod (kube-scheduler's FailedScheduling text). */
export function unschedulableMessage(model: KubeModel): string {
  const views = nodeViews(model);
  const cordoned = views.filter((v) => v.unschedulable).length;
  const notReady = views.filter((v) => !v.ready && !v.unschedulable).length;
  const parts = [
    ...(cordoned ? [`${cordoned} node(s) were unschedulable`] : []),
    ...(notReady ? [`${notReady} node(s) had untolerated taint {node.kubernetes.io/unreachable: }`] : []),
  ];
  return `0/${views.length} nodes are available${parts.length ? `: ${parts.join(', ')}` : ''}. preemption: 0/${views.length} nodes are available: ${views.length} Preemption is not helpful for scheduling.`;
}

export function podObjects(model: KubeModel): KubeObject[] {
  const nodes = new Map(nodeViews(model).map((v) => [v.name, v]));
  return model.workloads.pods().map((p) => podObject(model, p, nodes));
}

function podTemplate(model: KubeModel, app: DaemonSetName | typeof COREDNS, extraLabels: Record<string, string> = {}) {
  const t = templateOf(model, app);
  const pod = podObject(
    model,
    {
      name: app,
      app,
      owner: { kind: app === COREDNS ? 'ReplicaSet' : 'DaemonSet', name: app },
      nodeName: null,
      createdAtMs: 0,
    },
    new Map(),
  ) as unknown as { spec: Record<string, unknown> };
  const { nodeName: _n, serviceAccount: _s, ...spec } = pod.spec;
  return { metadata: { labels: { ...t.labels, ...extraLabels } }, spec };
}

/** How many of `pods` run and are ready. */
function counts(pods: readonly KubeObject[]) {
  const running = pods.filter((p) => (p.status as { phase: string }).phase === 'Running');
  const ready = running.filter((p) =>
    ((p.status as { conditions: { type: string; status: string }[] }).conditions ?? []).some(
      (c) => c.type === 'Ready' && c.status === 'True',
    ),
  );
  return { total: pods.length, running: running.length, ready: ready.length };
}

const ownedBy = (pods: readonly KubeObject[], name: string) =>
  pods.filter((p) => (p.metadata.ownerReferences ?? []).some((o) => o.name === name));

export function daemonSetObjects(model: KubeModel, pods: readonly KubeObject[] = podObjects(model)): KubeObject[] {
  if (!model.cluster.cluster) return [];
  return DAEMONSETS.map((name) => {
    const c = counts(ownedBy(pods, name));
    const t = templateOf(model, name);
    return versioned({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta(model, 'DaemonSet', name, clusterCreatedAt(model), {
        namespace: KUBE_SYSTEM,
        generation: 1,
        labels: t.labels,
        annotations: { 'deprecated.daemonset.template.generation': '1' },
      }),
      spec: {
        selector: { matchLabels: { 'k8s-app': name } },
        template: podTemplate(model, name),
        updateStrategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: 0, maxUnavailable: name === 'aws-node' ? '10%' : '10%' },
        },
        revisionHistoryLimit: 10,
      },
      status: {
        currentNumberScheduled: c.total,
        desiredNumberScheduled: c.total,
        numberAvailable: c.ready,
        numberMisscheduled: 0,
        numberReady: c.ready,
        ...(c.total - c.ready ? { numberUnavailable: c.total - c.ready } : {}),
        observedGeneration: 1,
        updatedNumberScheduled: c.total,
      },
    });
  });
}

export function replicaSetObjects(model: KubeModel, pods: readonly KubeObject[] = podObjects(model)): KubeObject[] {
  if (!model.cluster.cluster) return [];
  const name = model.workloads.corednsReplicaSet();
  const c = counts(ownedBy(pods, name));
  const replicas = model.workloads.replicas;
  const hash = name.slice(COREDNS.length + 1);
  return [
    versioned({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta(model, 'ReplicaSet', name, clusterCreatedAt(model), {
        namespace: KUBE_SYSTEM,
        generation: 1,
        labels: { ...templateOf(model, COREDNS).labels, 'pod-template-hash': hash },
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas + 1),
          'deployment.kubernetes.io/revision': '1',
        },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: COREDNS,
            uid: stableUid(`${model.cluster.cluster.name}/Deployment/${KUBE_SYSTEM}/${COREDNS}`),
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      }),
      spec: {
        replicas,
        selector: {
          matchLabels: { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns', 'pod-template-hash': hash },
        },
        template: podTemplate(model, COREDNS, { 'pod-template-hash': hash }),
      },
      status: {
        replicas: c.total,
        fullyLabeledReplicas: c.total,
        readyReplicas: c.ready,
        availableReplicas: c.ready,
        observedGeneration: 1,
      },
    }),
  ];
}

export function deploymentObjects(model: KubeModel, pods: readonly KubeObject[] = podObjects(model)): KubeObject[] {
  if (!model.cluster.cluster) return [];
  const rs = model.workloads.corednsReplicaSet();
  const c = counts(ownedBy(pods, rs));
  const replicas = model.workloads.replicas;
  const created = kubeTime(clusterCreatedAt(model));
  return [
    versioned({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(model, 'Deployment', COREDNS, clusterCreatedAt(model), {
        namespace: KUBE_SYSTEM,
        generation: 1,
        labels: { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' },
        annotations: { 'deployment.kubernetes.io/revision': '1' },
      }),
      spec: {
        replicas,
        progressDeadlineSeconds: 600,
        revisionHistoryLimit: 10,
        selector: { matchLabels: { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
        template: podTemplate(model, COREDNS),
      },
      status: {
        observedGeneration: 1,
        replicas: c.total,
        updatedReplicas: c.total,
        readyReplicas: c.ready,
        availableReplicas: c.ready,
        ...(c.total - c.ready ? { unavailableReplicas: c.total - c.ready } : {}),
        conditions: [
          {
            type: 'Available',
            status: c.ready >= Math.min(replicas, Math.max(0, replicas - 1)) ? 'True' : 'False',
            reason: c.ready >= Math.max(0, replicas - 1) ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
            message:
              c.ready >= Math.max(0, replicas - 1)
                ? 'Deployment has minimum availability.'
                : 'Deployment does not have minimum availability.',
            lastUpdateTime: created,
            lastTransitionTime: created,
          },
          {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${rs}" has successfully progressed.`,
            lastUpdateTime: created,
            lastTransitionTime: created,
          },
        ],
      },
    }),
  ];
}

/** The cluster's service CIDR's first address (`kubernetes`) and its tenth (`kube-dns`), as EKS assigns them. */
function serviceIp(model: KubeModel, offset: number): string {
  const [a, b, c] = serviceIpv4Cidr(model.network.vpcCidr).split('/')[0]?.split('.') ?? [];
  return `${a}.${b}.${c}.${offset}`;
}

export function serviceObjects(model: KubeModel): KubeObject[] {
  if (!model.cluster.cluster) return [];
  const created = clusterCreatedAt(model);
  const kubernetesIp = serviceIp(model, 1);
  const dnsIp = serviceIp(model, 10);
  return [
    versioned({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(model, 'Service', 'kubernetes', created, {
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      }),
      spec: {
        clusterIP: kubernetesIp,
        clusterIPs: [kubernetesIp],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }],
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
      status: { loadBalancer: {} },
    }),
    versioned({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(model, 'Service', 'kube-dns', created, {
        namespace: KUBE_SYSTEM,
        labels: {
          'eks.amazonaws.com/component': 'kube-dns',
          'k8s-app': 'kube-dns',
          'kubernetes.io/cluster-service': 'true',
          'kubernetes.io/name': 'CoreDNS',
        },
        annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
      }),
      spec: {
        clusterIP: dnsIp,
        clusterIPs: [dnsIp],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
        selector: { 'k8s-app': 'kube-dns' },
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
      status: { loadBalancer: {} },
    }),
  ];
}

/** Who serves each Service: the EKS-owned ENIs for `kubernetes`; the ready coredns pods for `kube-dns`. */
function backends(model: KubeModel, pods: readonly KubeObject[]) {
  const dns = pods
    .filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns' && (p.status as { podIP?: string }).podIP)
    .map((p) => {
      const status = p.status as { podIP: string; conditions: { type: string; status: string }[] };
      return {
        ip: status.podIP,
        ready: status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
        nodeName: (p.spec as { nodeName?: string }).nodeName,
        pod: p.metadata.name,
      };
    });
  return {
    kubernetes: model.network.enis.map((e) => ({ ip: e.privateIp, ready: true, zone: e.az })),
    dns,
  };
}

export function endpointsObjects(model: KubeModel, pods: readonly KubeObject[] = podObjects(model)): KubeObject[] {
  if (!model.cluster.cluster) return [];
  const b = backends(model, pods);
  const created = clusterCreatedAt(model);
  const dnsAddress = (d: (typeof b.dns)[number]) => ({
    ip: d.ip,
    ...(d.nodeName ? { nodeName: d.nodeName } : {}),
    targetRef: { kind: 'Pod', name: d.pod, namespace: KUBE_SYSTEM },
  });
  const ready = b.dns.filter((d) => d.ready);
  const notReady = b.dns.filter((d) => !d.ready);
  return [
    versioned({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: meta(model, 'Endpoints', 'kubernetes', created, {
        namespace: 'default',
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      }),
      subsets: [
        { addresses: b.kubernetes.map((k) => ({ ip: k.ip })), ports: [{ name: 'https', port: 443, protocol: 'TCP' }] },
      ],
    }),
    versioned({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: meta(model, 'Endpoints', 'kube-dns', created, {
        namespace: KUBE_SYSTEM,
        labels: {
          'eks.amazonaws.com/component': 'kube-dns',
          'k8s-app': 'kube-dns',
          'kubernetes.io/cluster-service': 'true',
          'kubernetes.io/name': 'CoreDNS',
        },
      }),
      subsets: b.dns.length
        ? [
            {
              ...(ready.length ? { addresses: ready.map(dnsAddress) } : {}),
              ...(notReady.length ? { notReadyAddresses: notReady.map(dnsAddress) } : {}),
              ports: [
                { name: 'dns-tcp', port: 53, protocol: 'TCP' },
                { name: 'dns', port: 53, protocol: 'UDP' },
                { name: 'metrics', port: 9153, protocol: 'TCP' },
              ],
            },
          ]
        : [],
    }),
  ];
}

export function endpointSliceObjects(model: KubeModel, pods: readonly KubeObject[] = podObjects(model)): KubeObject[] {
  if (!model.cluster.cluster) return [];
  const b = backends(model, pods);
  const created = clusterCreatedAt(model);
  const cluster = model.cluster.cluster.name;
  const conditions = (ready: boolean) => ({ ready, serving: ready, terminating: false });
  return [
    versioned({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: meta(model, 'EndpointSlice', 'kubernetes', created, {
        namespace: 'default',
        labels: { 'kubernetes.io/service-name': 'kubernetes' },
      }),
      addressType: 'IPv4',
      endpoints: b.kubernetes.map((k) => ({ addresses: [k.ip], conditions: conditions(true) })),
      ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
    }),
    versioned({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: meta(model, 'EndpointSlice', `kube-dns-${nameSuffix(`${cluster}/kube-dns-slice`)}`, created, {
        namespace: KUBE_SYSTEM,
        generateName: 'kube-dns-',
        labels: {
          'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
          'k8s-app': 'kube-dns',
          'kubernetes.io/service-name': 'kube-dns',
        },
      }),
      addressType: 'IPv4',
      endpoints: b.dns.map((d) => ({
        addresses: [d.ip],
        conditions: conditions(d.ready),
        ...(d.nodeName ? { nodeName: d.nodeName } : {}),
        targetRef: { kind: 'Pod', name: d.pod, namespace: KUBE_SYSTEM },
      })),
      ports: [
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'metrics', port: 9153, protocol: 'TCP' },
      ],
    }),
  ];
}

/**
 * ConfigMaps: `kube-root-ca.crt` in every namespace, and kube-system's add-on configuration.
 * `aws-auth` maps each managed node group's role to the nodes' Kubernetes groups, as EKS
 * writes it for managed node groups (Amazon EKS User Guide, "Grant IAM users access to
 * Kubernetes with a ConfigMap").
 */
export function configMapObjects(model: KubeModel): KubeObject[] {
  const cluster = model.cluster.cluster;
  if (!cluster) return [];
  const created = clusterCreatedAt(model);
  const ca =
    '-----BEGIN CERTIFICATE-----\n(the cluster CA: aws eks describe-cluster --query cluster.certificateAuthority.data)\n-----END CERTIFICATE-----\n';
  const maps: KubeObject[] = NAMESPACES.map((ns) =>
    versioned({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(model, 'ConfigMap', 'kube-root-ca.crt', created, {
        namespace: ns,
        annotations: {
          'kubernetes.io/description':
            'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
        },
      }),
      data: { 'ca.crt': ca },
    }),
  );
  const groups = model.nodegroups.all;
  if (groups.length > 0) {
    const roles = [...new Set(groups.map((g) => g.nodeRoleArn))];
    const mapRoles = roles
      .map(
        (arn) =>
          `- groups:\n  - system:bootstrappers\n  - system:nodes\n  rolearn: ${arn}\n  username: system:node:{{EC2PrivateDNSName}}\n`,
      )
      .join('');
    const createdAuth = Math.min(...groups.map((g) => g.createdAtMs));
    maps.push(
      versioned({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: meta(model, 'ConfigMap', 'aws-auth', createdAuth, { namespace: KUBE_SYSTEM }),
        data: { mapRoles },
      }),
    );
  }
  maps.push(
    versioned({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(model, 'ConfigMap', 'coredns', created, {
        namespace: KUBE_SYSTEM,
        labels: { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' },
      }),
      data: {
        Corefile: `.:53 {\n    errors\n    health {\n        lameduck 5s\n      }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n      pods insecure\n      fallthrough in-addr.arpa ip6.arpa\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n`,
      },
    }),
    versioned({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(model, 'ConfigMap', 'kube-proxy', created, {
        namespace: KUBE_SYSTEM,
        labels: { 'eks.amazonaws.com/component': 'kube-proxy', 'k8s-app': 'kube-proxy' },
      }),
      data: {
        kubeconfig: `kind: Config\napiVersion: v1\nclusters:\n- cluster:\n    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n    server: ${cluster.endpoint.toLowerCase()}\n  name: default\ncontexts:\n- context:\n    cluster: default\n    namespace: default\n    user: default\n  name: default\ncurrent-context: default\nusers:\n- name: default\n  user:\n    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n`,
      },
    }),
  );
  return maps.sort((a, b) =>
    `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`),
  );
}

/** Kubernetes Events live an hour (kube-apiserver's `--event-ttl` default). */
export const EVENT_TTL_MS = 60 * 60_000;

interface EventSpec {
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly apiVersion: string;
  readonly reason: string;
  readonly message: string;
  readonly type: 'Normal' | 'Warning';
  readonly component: string;
  readonly host?: string;
}

/** The Kubernetes Events a line of the model's log stands for (none for most lines). */
function eventsOfLogLine(
  model: KubeModel,
  line: { type: string; source: string; message: string; data?: Readonly<Record<string, unknown>> },
): EventSpec[] {
  const nodeName = line.source.startsWith('node/') ? line.source.slice('node/'.length) : '';
  const onNode = (reason: string, component: string): EventSpec => ({
    namespace: 'default',
    kind: 'Node',
    name: nodeName,
    apiVersion: 'v1',
    reason,
    message: `Node ${nodeName} status is now: ${reason}`,
    type: 'Normal',
    component,
    host: nodeName,
  });
  switch (line.type) {
    case 'node.not-ready':
      return [{ ...onNode('NodeNotReady', 'node-controller'), host: undefined }];
    case 'node.ready':
      return [onNode('NodeReady', 'kubelet')];
    case 'node.cordoned':
      return [onNode('NodeNotSchedulable', 'kubelet')];
    case 'node.uncordoned':
      return [onNode('NodeSchedulable', 'kubelet')];
    case 'pod.evicted': {
      const [, namespace = KUBE_SYSTEM, pod = ''] = line.source.split('/');
      const data = line.data ?? {};
      const replacement = typeof data.replacement === 'string' ? data.replacement : null;
      const target = typeof data.replacementNode === 'string' ? data.replacementNode : null;
      const isDns = pod.startsWith(`${COREDNS}-`);
      const owner = isDns ? model.workloads.corednsReplicaSet() : pod.replace(/-[^-]+$/, '');
      const out: EventSpec[] = [
        {
          namespace,
          kind: 'Pod',
          name: pod,
          apiVersion: 'v1',
          reason: 'Killing',
          message: `Stopping container ${isDns ? COREDNS : owner}`,
          type: 'Normal',
          component: 'kubelet',
          ...(typeof data.node === 'string' ? { host: data.node } : {}),
        },
      ];
      if (replacement) {
        out.push({
          namespace,
          kind: isDns ? 'ReplicaSet' : 'DaemonSet',
          name: owner,
          apiVersion: 'apps/v1',
          reason: 'SuccessfulCreate',
          message: `Created pod: ${replacement}`,
          type: 'Normal',
          component: isDns ? 'replicaset-controller' : 'daemonset-controller',
        });
        if (isDns) {
          out.push(
            target
              ? {
                  namespace,
                  kind: 'Pod',
                  name: replacement,
                  apiVersion: 'v1',
                  reason: 'Scheduled',
                  message: `Successfully assigned ${namespace}/${replacement} to ${target}`,
                  type: 'Normal',
                  component: 'default-scheduler',
                }
              : {
                  namespace,
                  kind: 'Pod',
                  name: replacement,
                  apiVersion: 'v1',
                  reason: 'FailedScheduling',
                  message: unschedulableMessage(model),
                  type: 'Warning',
                  component: 'default-scheduler',
                },
          );
        }
      }
      return out;
    }
    case 'deployment.scaled': {
      const from = Number(line.data?.from);
      const to = Number(line.data?.to);
      return [
        {
          namespace: KUBE_SYSTEM,
          kind: 'Deployment',
          name: COREDNS,
          apiVersion: 'apps/v1',
          reason: 'ScalingReplicaSet',
          message: `Scaled ${to > from ? 'up' : 'down'} replica set ${model.workloads.corednsReplicaSet()} from ${from} to ${to}`,
          type: 'Normal',
          component: 'deployment-controller',
        },
      ];
    }
    default:
      return [];
  }
}

/** Events from the last hour of the model's log, oldest first. */
export function eventObjects(model: KubeModel): KubeObject[] {
  const now = model.clock.now();
  const cluster = model.cluster.cluster?.name ?? '';
  const out: KubeObject[] = [];
  for (const line of model.log.since(0)) {
    if (line.atMs < now - EVENT_TTL_MS) continue;
    eventsOfLogLine(model, line).forEach((e, i) => {
      const at = kubeTime(line.atMs);
      const name = `${e.name}.${hexDigits(`${cluster}/event/${line.seq}/${i}`, 16)}`;
      out.push(
        versioned({
          apiVersion: 'v1',
          kind: 'Event',
          metadata: meta(model, 'Event', name, line.atMs, { namespace: e.namespace }),
          involvedObject: {
            apiVersion: e.apiVersion,
            kind: e.kind,
            name: e.name,
            ...(e.kind === 'Node' ? {} : { namespace: e.namespace }),
            uid:
              e.kind === 'Node'
                ? e.name
                : stableUid(`${cluster}/${e.kind}/${e.kind === 'Node' ? '' : e.namespace}/${e.name}`),
          },
          reason: e.reason,
          message: e.message,
          source: { component: e.component, ...(e.host ? { host: e.host } : {}) },
          firstTimestamp: at,
          lastTimestamp: at,
          count: 1,
          type: e.type,
          eventTime: null,
          reportingComponent: e.component,
          reportingInstance: e.host ?? '',
        }),
      );
    });
  }
  return out;
}
