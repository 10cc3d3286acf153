import { nameSuffix } from '../../../workloads/names';
import { KUBE_SYSTEM } from '../../../workloads/workloads-domain';
import { serviceIpv4Cidr } from '../../eks/shapes';
import type { KubeModel } from '../model';
import { clusterCreatedAt, type KubeObject, meta, versioned } from './meta';
import { podObjects } from './workloads';

/** The `kube-dns` Service's labels, which its Endpoints carry too (EKS's CoreDNS manifest). */
const KUBE_DNS_LABELS = {
  'eks.amazonaws.com/component': 'kube-dns',
  'k8s-app': 'kube-dns',
  'kubernetes.io/cluster-service': 'true',
  'kubernetes.io/name': 'CoreDNS',
};

/** The ports the `kube-dns` Endpoints and EndpointSlice list, in the order the controllers write them (copied into each object, which callers may change). */
const KUBE_DNS_ENDPOINT_PORTS = [
  { name: 'dns-tcp', port: 53, protocol: 'TCP' },
  { name: 'dns', port: 53, protocol: 'UDP' },
  { name: 'metrics', port: 9153, protocol: 'TCP' },
];

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
        labels: { ...KUBE_DNS_LABELS },
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
        labels: { ...KUBE_DNS_LABELS },
      }),
      subsets: b.dns.length
        ? [
            {
              ...(ready.length ? { addresses: ready.map(dnsAddress) } : {}),
              ...(notReady.length ? { notReadyAddresses: notReady.map(dnsAddress) } : {}),
              ports: KUBE_DNS_ENDPOINT_PORTS.map((port) => ({ ...port })),
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
      ports: KUBE_DNS_ENDPOINT_PORTS.map((port) => ({ ...port })),
    }),
  ];
}
