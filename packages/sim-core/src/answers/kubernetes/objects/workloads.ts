import { hashName } from '../../../engine/prng';
import { addonImages } from '../../../workloads/facts';
import { hexDigits, nameSuffix, stableUid } from '../../../workloads/names';
import {
  COREDNS,
  DAEMONSETS,
  type DaemonSetName,
  KUBE_SYSTEM,
  type PodPlacement,
} from '../../../workloads/workloads-domain';
import type { KubeModel } from '../model';
import { type NodeView, nodeViews } from '../nodes';
import { clusterCreatedAt, type KubeObject, kubeTime, meta, versioned } from './meta';

/**
 * The add-on images the cluster runs: its installed EKS add-ons, else the self-managed ones EKS
 * put there when the cluster was created: EKS's defaults on that day. Self-managed add-ons do not
 * update themselves (EKS User Guide, "Update an Amazon EKS cluster": update them after an
 * upgrade), so a long run does not see the pods' images change when a new build is released.
 */
function images(model: KubeModel) {
  const cluster = model.cluster.cluster;
  const installed = Object.fromEntries(
    model.addons.all.filter((a) => a.clusterName === cluster?.name).map((a) => [a.name, a.version]),
  );
  return addonImages(cluster?.version ?? '1.28', model.cluster.region, clusterCreatedAt(model), installed);
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
