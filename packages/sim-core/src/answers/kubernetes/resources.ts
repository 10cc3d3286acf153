import { humanDuration } from './duration';
import type { KubeModel } from './model';
import {
  configMapObjects,
  daemonSetObjects,
  deploymentObjects,
  endpointSliceObjects,
  endpointsObjects,
  eventObjects,
  type KubeObject,
  leaseObjects,
  namespaceObjects,
  nodeObjects,
  podObjects,
  replicaSetObjects,
  serviceObjects,
} from './objects';

export { humanDuration };

/**
 * The resource types the simulated API server serves: their discovery entries (name, short
 * names, kind, group, scope, verbs) and their server-side printing (the columns kube-apiserver's
 * table convertor gives `kubectl get`, kubernetes/kubernetes pkg/printers/internalversion/
 * printers.go). One table: discovery, routing, Tables and the shell's kubectl all read it.
 */

export interface ColumnDefinition {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'date';
  readonly format: string;
  readonly description: string;
  /** 0: shown by `kubectl get`; 1: only with `-o wide`. */
  readonly priority: 0 | 1;
}

export interface ResourceType {
  /** The plural, lower-case name in URLs (`nodes`). */
  readonly name: string;
  readonly singularName: string;
  readonly shortNames: readonly string[];
  readonly kind: string;
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  readonly categories?: readonly string[];
  readonly list: (model: KubeModel) => KubeObject[];
  readonly columns: readonly ColumnDefinition[];
  readonly cells: (object: KubeObject, nowMs: number) => unknown[];
}

/** A subresource discovery lists (the Eviction API drain uses, the scale subresource scale uses). */
export interface SubresourceType {
  readonly name: string;
  readonly parent: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

const col = (name: string, description: string, extra: Partial<ColumnDefinition> = {}): ColumnDefinition => ({
  name,
  type: 'string',
  format: '',
  description,
  priority: 0,
  ...extra,
});
const NAME = col('Name', 'Name must be unique within a namespace.', { format: 'name' });
const AGE = col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.');
const wide = (name: string, description: string, extra: Partial<ColumnDefinition> = {}) =>
  col(name, description, { priority: 1, ...extra });

// biome-ignore lint/suspicious/noExplicitAny: objects are read field by field, as kubectl's printers do
type Loose = any;
const age = (o: KubeObject, now: number) => humanDuration(now - Date.parse(o.metadata.creationTimestamp));
const selectorText = (labels: Readonly<Record<string, string>> | undefined) =>
  labels && Object.keys(labels).length
    ? Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    : '<none>';
/** kubectl shows at most three endpoints, then "+ N more..." (printers.go, formatEndpoints). */
const firstThree = (items: readonly string[]) =>
  items.length === 0
    ? '<none>'
    : `${items.slice(0, 3).join(',')}${items.length > 3 ? ` + ${items.length - 3} more...` : ''}`;
const containers = (o: Loose) => {
  const list = (o.spec.template.spec.containers as { name: string; image: string }[]) ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image).join(',')];
};

const WORKLOAD_WIDE = [
  wide('Containers', 'Names of each container in the template.'),
  wide('Images', 'Images referenced by each container in the template.'),
  wide(
    'Selector',
    'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
  ),
];

export const RESOURCES: readonly ResourceType[] = [
  {
    name: 'namespaces',
    singularName: 'namespace',
    shortNames: ['ns'],
    kind: 'Namespace',
    group: '',
    version: 'v1',
    namespaced: false,
    verbs: ['get', 'list', 'watch'],
    list: namespaceObjects,
    columns: [NAME, col('Status', 'The status of the namespace'), AGE],
    cells: (o: Loose, now) => [o.metadata.name, o.status.phase, age(o, now)],
  },
  {
    name: 'nodes',
    singularName: 'node',
    shortNames: ['no'],
    kind: 'Node',
    group: '',
    version: 'v1',
    namespaced: false,
    verbs: ['get', 'list', 'patch', 'watch'],
    list: nodeObjects,
    columns: [
      NAME,
      col('Status', 'The status of the node'),
      col('Roles', 'The roles of the node'),
      AGE,
      col('Version', 'Kubelet Version reported by the node.'),
      wide('Internal-IP', 'List of internal IPs in the node.'),
      wide('External-IP', 'List of external IPs in the node.'),
      wide('OS-Image', 'OS image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
      wide('Kernel-Version', "Kernel version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
      wide(
        'Container-Runtime',
        'Container runtime version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
      ),
    ],
    cells: (o: Loose, now) => {
      const ready = (o.status.conditions as { type: string; status: string }[]).find((c) => c.type === 'Ready');
      const status = `${ready?.status === 'True' ? 'Ready' : 'NotReady'}${o.spec.unschedulable ? ',SchedulingDisabled' : ''}`;
      const address = (type: string) =>
        (o.status.addresses as { type: string; address: string }[]).find((a) => a.type === type)?.address ?? '<none>';
      return [
        o.metadata.name,
        status,
        '<none>',
        age(o, now),
        o.status.nodeInfo.kubeletVersion,
        address('InternalIP'),
        address('ExternalIP'),
        o.status.nodeInfo.osImage,
        o.status.nodeInfo.kernelVersion,
        o.status.nodeInfo.containerRuntimeVersion,
      ];
    },
  },
  {
    name: 'pods',
    singularName: 'pod',
    shortNames: ['po'],
    kind: 'Pod',
    group: '',
    version: 'v1',
    namespaced: true,
    verbs: ['delete', 'get', 'list', 'watch'],
    categories: ['all'],
    list: podObjects,
    columns: [
      NAME,
      col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'The aggregate status of the containers in this pod.'),
      col(
        'Restarts',
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      ),
      AGE,
      wide('IP', 'The IP address assigned to the pod'),
      wide('Node', 'The name of the node the pod is running on'),
      wide('Nominated Node', 'The name of the node where the pod is nominated to run'),
      wide('Readiness Gates', 'The readiness gates of the pod'),
    ],
    cells: (o: Loose, now) => {
      const statuses = (o.status.containerStatuses ?? []) as { ready: boolean }[];
      const total = o.spec.containers.length;
      return [
        o.metadata.name,
        `${statuses.filter((s) => s.ready).length}/${total}`,
        o.status.phase,
        '0',
        age(o, now),
        o.status.podIP ?? '<none>',
        o.spec.nodeName ?? '<none>',
        '<none>',
        '<none>',
      ];
    },
  },
  {
    name: 'services',
    singularName: 'service',
    shortNames: ['svc'],
    kind: 'Service',
    group: '',
    version: 'v1',
    namespaced: true,
    verbs: ['get', 'list', 'watch'],
    categories: ['all'],
    list: serviceObjects,
    columns: [
      NAME,
      col('Type', 'The type of service.'),
      col('Cluster-IP', 'The cluster IP of the service.'),
      col('External-IP', 'The external IP of the service.'),
      col('Port(s)', 'The port(s) of the service.'),
      AGE,
      wide('Selector', 'The selector of the service.'),
    ],
    cells: (o: Loose, now) => [
      o.metadata.name,
      o.spec.type,
      o.spec.clusterIP,
      '<none>',
      (o.spec.ports as { port: number; protocol: string }[]).map((p) => `${p.port}/${p.protocol}`).join(','),
      age(o, now),
      selectorText(o.spec.selector),
    ],
  },
  {
    name: 'endpoints',
    singularName: 'endpoints',
    shortNames: ['ep'],
    kind: 'Endpoints',
    group: '',
    version: 'v1',
    namespaced: true,
    verbs: ['get', 'list', 'watch'],
    list: endpointsObjects,
    columns: [NAME, col('Endpoints', 'The endpoints of the service.'), AGE],
    cells: (o: Loose, now) => {
      const items: string[] = [];
      for (const subset of o.subsets as { addresses?: { ip: string }[]; ports: { port: number }[] }[]) {
        for (const port of subset.ports) for (const a of subset.addresses ?? []) items.push(`${a.ip}:${port.port}`);
      }
      return [o.metadata.name, firstThree(items), age(o, now)];
    },
  },
  {
    name: 'events',
    singularName: 'event',
    shortNames: ['ev'],
    kind: 'Event',
    group: '',
    version: 'v1',
    namespaced: true,
    verbs: ['get', 'list', 'watch'],
    list: eventObjects,
    columns: [
      col('Last Seen', 'Time when last event occurred'),
      col('Type', 'Type of this event (Normal, Warning), new types could be added in the future.'),
      col('Reason', 'Reason why the action was taken. It is human-readable.'),
      col('Object', 'The object that this event is about. Mapped from Event.involvedObject.'),
      wide('Subobject', 'The subobject that this event is about. Mapped from Event.involvedObject.fieldPath.'),
      wide('Source', 'The component reporting this event. Mapped from Event.source.component, Event.source.host.'),
      col('Message', 'A human-readable description of the status of this operation.'),
      wide('First Seen', 'Time when first event occurred'),
      wide('Count', 'The number of times this event has occurred.', { type: 'integer' }),
      wide('Name', 'Name must be unique within a namespace.', { format: 'name' }),
    ],
    cells: (o: Loose, now) => [
      humanDuration(now - Date.parse(o.lastTimestamp)),
      o.type,
      o.reason,
      `${String(o.involvedObject.kind).toLowerCase()}/${o.involvedObject.name}`,
      '',
      [o.source.component, o.source.host].filter(Boolean).join(', '),
      o.message,
      humanDuration(now - Date.parse(o.firstTimestamp)),
      o.count,
      o.metadata.name,
    ],
  },
  {
    name: 'configmaps',
    singularName: 'configmap',
    shortNames: ['cm'],
    kind: 'ConfigMap',
    group: '',
    version: 'v1',
    namespaced: true,
    verbs: ['get', 'list', 'watch'],
    list: configMapObjects,
    columns: [NAME, col('Data', 'Number of data entries in the ConfigMap.', { type: 'integer' }), AGE],
    cells: (o: Loose, now) => [o.metadata.name, Object.keys(o.data ?? {}).length, age(o, now)],
  },
  {
    name: 'daemonsets',
    singularName: 'daemonset',
    shortNames: ['ds'],
    kind: 'DaemonSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    verbs: ['get', 'list', 'watch'],
    categories: ['all'],
    list: (model) => daemonSetObjects(model),
    columns: [
      NAME,
      col('Desired', 'The desired number of daemon pods.', { type: 'integer' }),
      col('Current', 'The current number of daemon pods.', { type: 'integer' }),
      col('Ready', 'The number of daemon pods that are ready.', { type: 'integer' }),
      col('Up-to-date', 'The number of daemon pods that are up to date.', { type: 'integer' }),
      col('Available', 'The number of daemon pods that are available.', { type: 'integer' }),
      col('Node Selector', 'Node selector of the daemon pods.'),
      AGE,
      ...WORKLOAD_WIDE,
    ],
    cells: (o: Loose, now) => [
      o.metadata.name,
      o.status.desiredNumberScheduled,
      o.status.currentNumberScheduled,
      o.status.numberReady,
      o.status.updatedNumberScheduled,
      o.status.numberAvailable,
      selectorText(o.spec.template.spec.nodeSelector),
      age(o, now),
      ...containers(o),
      selectorText(o.spec.selector.matchLabels),
    ],
  },
  {
    name: 'deployments',
    singularName: 'deployment',
    shortNames: ['deploy'],
    kind: 'Deployment',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    verbs: ['get', 'list', 'patch', 'watch'],
    categories: ['all'],
    list: (model) => deploymentObjects(model),
    columns: [
      NAME,
      col('Ready', 'Number of the pod with ready state'),
      col(
        'Up-to-date',
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
        { type: 'integer' },
      ),
      col(
        'Available',
        'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
        { type: 'integer' },
      ),
      AGE,
      ...WORKLOAD_WIDE,
    ],
    cells: (o: Loose, now) => [
      o.metadata.name,
      `${o.status.readyReplicas ?? 0}/${o.spec.replicas}`,
      o.status.updatedReplicas ?? 0,
      o.status.availableReplicas ?? 0,
      age(o, now),
      ...containers(o),
      selectorText(o.spec.selector.matchLabels),
    ],
  },
  {
    name: 'replicasets',
    singularName: 'replicaset',
    shortNames: ['rs'],
    kind: 'ReplicaSet',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    verbs: ['get', 'list', 'watch'],
    categories: ['all'],
    list: (model) => replicaSetObjects(model),
    columns: [
      NAME,
      col('Desired', 'Number of desired pods.', { type: 'integer' }),
      col('Current', 'Number of actual pods.', { type: 'integer' }),
      col('Ready', 'Number of ready pods.', { type: 'integer' }),
      AGE,
      ...WORKLOAD_WIDE,
    ],
    cells: (o: Loose, now) => [
      o.metadata.name,
      o.spec.replicas,
      o.status.replicas ?? 0,
      o.status.readyReplicas ?? 0,
      age(o, now),
      ...containers(o),
      selectorText(o.spec.selector.matchLabels),
    ],
  },
  {
    name: 'endpointslices',
    singularName: 'endpointslice',
    shortNames: [],
    kind: 'EndpointSlice',
    group: 'discovery.k8s.io',
    version: 'v1',
    namespaced: true,
    verbs: ['get', 'list', 'watch'],
    list: (model) => endpointSliceObjects(model),
    columns: [
      NAME,
      col('AddressType', 'The IP protocol for this slice'),
      col('Ports', 'The ports of the slice'),
      col('Endpoints', 'First three addresses of the endpoints'),
      AGE,
    ],
    cells: (o: Loose, now) => [
      o.metadata.name,
      o.addressType,
      firstThree((o.ports as { port: number }[]).map((p) => String(p.port))),
      firstThree((o.endpoints as { addresses: string[] }[]).flatMap((e) => e.addresses)),
      age(o, now),
    ],
  },
  {
    name: 'leases',
    singularName: 'lease',
    shortNames: [],
    kind: 'Lease',
    group: 'coordination.k8s.io',
    version: 'v1',
    namespaced: true,
    verbs: ['get', 'list', 'watch'],
    list: leaseObjects,
    columns: [NAME, col('Holder', 'The holder identity of the lease'), AGE],
    cells: (o: Loose, now) => [o.metadata.name, o.spec.holderIdentity ?? '', age(o, now)],
  },
  {
    // Create-only: the answer is the asker's own user info (`kubectl auth whoami`), nothing is stored.
    name: 'selfsubjectreviews',
    singularName: 'selfsubjectreview',
    shortNames: [],
    kind: 'SelfSubjectReview',
    group: 'authentication.k8s.io',
    version: 'v1',
    namespaced: false,
    verbs: ['create'],
    list: () => [],
    columns: [],
    cells: () => [],
  },
];

export const SUBRESOURCES: readonly SubresourceType[] = [
  {
    name: 'eviction',
    parent: 'pods',
    group: 'policy',
    version: 'v1',
    kind: 'Eviction',
    namespaced: true,
    verbs: ['create'],
  },
  {
    name: 'scale',
    parent: 'deployments',
    group: 'autoscaling',
    version: 'v1',
    kind: 'Scale',
    namespaced: true,
    verbs: ['get', 'patch', 'update'],
  },
];

/** API groups discovery names, preferred version first. `policy` is there for the Eviction API (kubectl drain checks it). */
export const GROUPS: readonly { readonly name: string; readonly version: string }[] = [
  { name: 'apps', version: 'v1' },
  { name: 'discovery.k8s.io', version: 'v1' },
  { name: 'coordination.k8s.io', version: 'v1' },
  { name: 'policy', version: 'v1' },
  { name: 'authentication.k8s.io', version: 'v1' },
];

/** A resource type by any name kubectl accepts: plural, singular, short name, kind (any case), or `name.group`. */
export function resourceByName(name: string): ResourceType | undefined {
  const lower = name.toLowerCase();
  const [bare, ...groupParts] = lower.split('.');
  const group = groupParts.join('.');
  return RESOURCES.find(
    (r) =>
      (group === '' || r.group === group || `${r.version}.${r.group}` === group) &&
      (r.name === bare ||
        r.singularName === bare ||
        r.shortNames.includes(bare ?? '') ||
        r.kind.toLowerCase() === bare),
  );
}
