import { humanDuration, type KubeObject } from '../../../answers/index';
import type { ToolInvocation } from '../../tool';
import type { KubectlFlags } from './flags';
import { fetchObjects, parseTargets } from './get';
import { alignColumns } from './printers';
import { kubeCall, okJson } from './request';

/**
 * `kubectl describe`: kubectl's describers (k8s.io/kubectl/pkg/describe) are client-side; these
 * follow their layout for Nodes, Pods and Deployments, and the generic one (name, labels,
 * annotations, events) for the rest, over the objects the answer layer returns.
 */

// biome-ignore lint/suspicious/noExplicitAny: objects are read field by field, as kubectl's describers do
type Loose = any;

/** `Sun, 10 Mar 2024 09:00:00 +0000`: the time format of kubectl's describers (RFC 1123 with a numeric zone). */
function describeTime(iso: string | undefined): string {
  if (!iso) return '<unset>';
  const d = new Date(iso);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day}, ${pad(d.getUTCDate())} ${month} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** `Labels:  a=b` then one per line under it; `<none>` when empty. */
function mapLines(title: string, map: Record<string, string> | undefined, width: number, sep = '='): string {
  const entries = Object.entries(map ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const head = `${title}:`.padEnd(width);
  if (entries.length === 0) return `${head}<none>\n`;
  return entries.map(([k, v], i) => `${i === 0 ? head : ' '.repeat(width)}${k}${sep}${v}\n`).join('');
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `${by}${line}` : line))
    .join('\n');
}

function eventsOf(inv: ToolInvocation, o: KubeObject): string {
  const list = okJson<{ items: Loose[] }>(kubeCall(inv, 'GET', '/api/v1/events'));
  const mine = (list?.items ?? []).filter(
    (e) => e.involvedObject.name === o.metadata.name && e.involvedObject.kind === o.kind,
  );
  if (mine.length === 0) return 'Events:              <none>\n';
  const now = inv.ctx.clock.now();
  const rows = [
    ['Type', 'Reason', 'Age', 'From', 'Message'],
    ['----', '------', '----', '----', '-------'],
    ...mine.map((e) => [
      e.type,
      e.reason,
      humanDuration(now - Date.parse(e.lastTimestamp)),
      e.source.component,
      e.message,
    ]),
  ];
  return `Events:\n${indent(alignColumns(rows), '  ')}`;
}

function describeNode(inv: ToolInvocation, o: Loose): string {
  const w = 20;
  const taints = (o.spec.taints ?? []) as { key: string; effect: string }[];
  const conditions = alignColumns([
    ['Type', 'Status', 'LastHeartbeatTime', 'LastTransitionTime', 'Reason', 'Message'],
    ['----', '------', '-----------------', '------------------', '------', '-------'],
    ...(o.status.conditions as Loose[]).map((c) => [
      c.type,
      c.status,
      describeTime(c.lastHeartbeatTime),
      describeTime(c.lastTransitionTime),
      c.reason,
      c.message,
    ]),
  ]);
  const resources = (map: Record<string, string>) =>
    Object.entries(map)
      .map(([k, v]) => `  ${`${k}:`.padEnd(20)}${v}\n`)
      .join('');
  const info = o.status.nodeInfo;
  const pods = okJson<{ items: Loose[] }>(
    kubeCall(inv, 'GET', `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${o.metadata.name}`)}`),
  );
  const now = inv.ctx.clock.now();
  const podRows = alignColumns([
    ['Namespace', 'Name', 'CPU Requests', 'Memory Requests', 'Age'],
    ['---------', '----', '------------', '---------------', '---'],
    ...(pods?.items ?? []).map((p) => [
      p.metadata.namespace,
      p.metadata.name,
      (p.spec.containers as Loose[]).map((c) => c.resources?.requests?.cpu ?? '0').join('+'),
      (p.spec.containers as Loose[]).map((c) => c.resources?.requests?.memory ?? '0').join('+'),
      humanDuration(now - Date.parse(p.metadata.creationTimestamp)),
    ]),
  ]);
  return (
    `${'Name:'.padEnd(w)}${o.metadata.name}\n` +
    `${'Roles:'.padEnd(w)}<none>\n` +
    mapLines('Labels', o.metadata.labels, w) +
    mapLines('Annotations', o.metadata.annotations, w, ': ') +
    `${'CreationTimestamp:'.padEnd(w)}${describeTime(o.metadata.creationTimestamp)}\n` +
    `${'Taints:'.padEnd(w)}${taints.length ? taints.map((t, i) => `${i ? ' '.repeat(w) : ''}${t.key}:${t.effect}`).join('\n') : '<none>'}\n` +
    `${'Unschedulable:'.padEnd(w)}${o.spec.unschedulable === true}\n` +
    `Conditions:\n${indent(conditions, '  ')}` +
    `Addresses:\n${(o.status.addresses as Loose[]).map((a) => `  ${`${a.type}:`.padEnd(14)}${a.address}\n`).join('')}` +
    `Capacity:\n${resources(o.status.capacity)}` +
    `Allocatable:\n${resources(o.status.allocatable)}` +
    'System Info:\n' +
    [
      ['Machine ID', info.machineID],
      ['System UUID', info.systemUUID],
      ['Boot ID', info.bootID],
      ['Kernel Version', info.kernelVersion],
      ['OS Image', info.osImage],
      ['Operating System', info.operatingSystem],
      ['Architecture', info.architecture],
      ['Container Runtime Version', info.containerRuntimeVersion],
      ['Kubelet Version', info.kubeletVersion],
      ['Kube-Proxy Version', info.kubeProxyVersion],
    ]
      .map(([k, v]) => `  ${`${k}:`.padEnd(28)}${v}\n`)
      .join('') +
    `${'ProviderID:'.padEnd(30)}${o.spec.providerID}\n` +
    `${'Non-terminated Pods:'.padEnd(30)}(${pods?.items.length ?? 0} in total)\n${indent(podRows, '  ')}` +
    eventsOf(inv, o)
  );
}

function describePod(inv: ToolInvocation, o: Loose): string {
  const w = 22;
  const owner = (o.metadata.ownerReferences ?? [])[0];
  const statuses = new Map((o.status.containerStatuses ?? []).map((s: Loose) => [s.name, s]));
  const containers = (o.spec.containers as Loose[])
    .map((c) => {
      const s = statuses.get(c.name) as Loose;
      const ports = (c.ports ?? []) as Loose[];
      return (
        `  ${c.name}:\n` +
        (s ? `    Container ID:  ${s.containerID}\n` : '') +
        `    Image:         ${c.image}\n` +
        (s ? `    Image ID:      ${s.imageID}\n` : '') +
        `    Ports:         ${ports.length ? ports.map((p) => `${p.containerPort}/${p.protocol}`).join(', ') : '<none>'}\n` +
        `    State:         ${s ? 'Running' : 'Waiting'}\n` +
        (s
          ? `      Started:     ${describeTime(s.state?.running?.startedAt)}\n`
          : '      Reason:      ContainerCreating\n') +
        `    Ready:         ${s?.ready === true ? 'True' : 'False'}\n` +
        `    Restart Count: ${s?.restartCount ?? 0}\n`
      );
    })
    .join('');
  const conditions = alignColumns([
    ['Type', 'Status'],
    ...(o.status.conditions as Loose[]).map((c) => [c.type, c.status]),
  ]);
  return (
    `${'Name:'.padEnd(w)}${o.metadata.name}\n` +
    `${'Namespace:'.padEnd(w)}${o.metadata.namespace}\n` +
    `${'Priority:'.padEnd(w)}${o.spec.priority}\n` +
    `${'Priority Class Name:'.padEnd(w)}${o.spec.priorityClassName}\n` +
    `${'Service Account:'.padEnd(w)}${o.spec.serviceAccountName}\n` +
    `${'Node:'.padEnd(w)}${o.spec.nodeName ? `${o.spec.nodeName}/${o.status.hostIP}` : '<none>'}\n` +
    `${'Start Time:'.padEnd(w)}${describeTime(o.status.startTime)}\n` +
    mapLines('Labels', o.metadata.labels, w) +
    mapLines('Annotations', o.metadata.annotations, w, ': ') +
    `${'Status:'.padEnd(w)}${o.status.phase}\n` +
    `${'IP:'.padEnd(w)}${o.status.podIP ?? ''}\n` +
    (owner ? `${'Controlled By:'.padEnd(w)}${owner.kind}/${owner.name}\n` : '') +
    `Containers:\n${containers}` +
    `Conditions:\n${indent(conditions, '  ')}` +
    `${'QoS Class:'.padEnd(w)}${o.status.qosClass}\n` +
    `${'Node-Selectors:'.padEnd(w)}<none>\n` +
    eventsOf(inv, o)
  );
}

function describeDeployment(inv: ToolInvocation, o: Loose): string {
  const w = 24;
  const s = o.status;
  const total = s.replicas ?? 0;
  return (
    `${'Name:'.padEnd(w)}${o.metadata.name}\n` +
    `${'Namespace:'.padEnd(w)}${o.metadata.namespace}\n` +
    `${'CreationTimestamp:'.padEnd(w)}${describeTime(o.metadata.creationTimestamp)}\n` +
    mapLines('Labels', o.metadata.labels, w) +
    mapLines('Annotations', o.metadata.annotations, w, ': ') +
    `${'Selector:'.padEnd(w)}${Object.entries(o.spec.selector.matchLabels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',')}\n` +
    `${'Replicas:'.padEnd(w)}${o.spec.replicas} desired | ${s.updatedReplicas ?? 0} updated | ${total} total | ${s.availableReplicas ?? 0} available | ${s.unavailableReplicas ?? 0} unavailable\n` +
    `${'StrategyType:'.padEnd(w)}${o.spec.strategy.type}\n` +
    `${'RollingUpdateStrategy:'.padEnd(w)}${o.spec.strategy.rollingUpdate.maxUnavailable} max unavailable, ${o.spec.strategy.rollingUpdate.maxSurge} max surge\n` +
    `Conditions:\n${indent(
      alignColumns([
        ['Type', 'Status', 'Reason'],
        ['----', '------', '------'],
        ...(s.conditions as Loose[]).map((c) => [c.type, c.status, c.reason]),
      ]),
      '  ',
    )}` +
    eventsOf(inv, o)
  );
}

function describeGeneric(inv: ToolInvocation, o: Loose): string {
  const w = 14;
  return (
    `${'Name:'.padEnd(w)}${o.metadata.name}\n` +
    (o.metadata.namespace ? `${'Namespace:'.padEnd(w)}${o.metadata.namespace}\n` : '') +
    mapLines('Labels', o.metadata.labels, w) +
    mapLines('Annotations', o.metadata.annotations, w, ': ') +
    (o.kind === 'ConfigMap'
      ? `\nData\n====\n${Object.entries(o.data ?? {})
          .map(([k, v]) => `${k}:\n----\n${v}\n`)
          .join('\n')}\n`
      : '') +
    (o.kind === 'Namespace' ? `${'Status:'.padEnd(w)}${o.status.phase}\n` : '') +
    (o.kind === 'Service'
      ? `${'Type:'.padEnd(w)}${o.spec.type}\n${'IP:'.padEnd(w)}${o.spec.clusterIP}\n${(o.spec.ports as Loose[])
          .map((p) => `${'Port:'.padEnd(w)}${p.name}  ${p.port}/${p.protocol}\n`)
          .join('')}`
      : '') +
    eventsOf(inv, o)
  );
}

export function describe(inv: ToolInvocation, flags: KubectlFlags, args: readonly string[]): number {
  const targets = parseTargets(inv, args);
  if (typeof targets === 'number') return targets;
  const texts: string[] = [];
  let failed = false;
  for (const target of targets) {
    const fetched = fetchObjects(inv, flags, target);
    failed ||= fetched.failed;
    for (const o of fetched.objects) {
      const kind = target.resource.kind;
      texts.push(
        kind === 'Node'
          ? describeNode(inv, o)
          : kind === 'Pod'
            ? describePod(inv, o)
            : kind === 'Deployment'
              ? describeDeployment(inv, o)
              : describeGeneric(inv, o),
      );
    }
  }
  if (texts.length === 0 && !failed) {
    const ns = flags.allNamespaces ? undefined : (flags.namespace ?? 'default');
    inv.err(
      ns && targets.some((t) => t.resource.namespaced)
        ? `No resources found in ${ns} namespace.\n`
        : 'No resources found\n',
    );
    return 0;
  }
  inv.out(texts.join('\n\n'));
  return failed ? 1 : 0;
}
