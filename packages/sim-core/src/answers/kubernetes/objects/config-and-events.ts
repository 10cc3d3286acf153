import { hexDigits, stableUid } from '../../../workloads/names';
import { COREDNS, KUBE_SYSTEM } from '../../../workloads/workloads-domain';
import type { KubeModel } from '../model';
import { clusterCreatedAt, type KubeObject, kubeTime, meta, NAMESPACES, versioned } from './meta';
import { unschedulableMessage } from './workloads';

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
