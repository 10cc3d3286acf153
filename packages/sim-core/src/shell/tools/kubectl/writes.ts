import { type KubeObject, type ResourceType, resourceByName } from '../../../answers/index';
import type { ToolInvocation } from '../../tool';
import type { KubectlFlags } from './flags';
import { namespaceOf } from './get';
import { kubeCall, okJson, resourceUrl, serverError } from './request';

const NODES = resourceByName('nodes') as ResourceType;
const PODS = resourceByName('pods') as ResourceType;
const DEPLOYMENTS = resourceByName('deployments') as ResourceType;

/** `node/x` or `x` → the node's name. */
const nodeArg = (arg: string) => arg.replace(/^(nodes?|no)\//, '');

/** `kubectl cordon|uncordon NODE`: GET the node, then PATCH `spec.unschedulable` (what kubectl sends). */
export function cordon(inv: ToolInvocation, args: readonly string[], unschedulable: boolean): number {
  const verb = unschedulable ? 'cordon' : 'uncordon';
  if (args.length === 0) {
    inv.err(`error: USAGE: ${verb} NODE [flags]\nSee 'kubectl ${verb} -h' for help and examples\n`);
    return 1;
  }
  let status = 0;
  for (const arg of args) if (setUnschedulable(inv, nodeArg(arg), unschedulable) !== 0) status = 1;
  return status;
}

function setUnschedulable(inv: ToolInvocation, name: string, unschedulable: boolean): number {
  const verb = unschedulable ? 'cordoned' : 'uncordoned';
  const node = okJson<KubeObject & { spec: { unschedulable?: boolean } }>(
    kubeCall(inv, 'GET', resourceUrl(NODES, undefined, name)),
  );
  if (!node) {
    inv.err(`Error from server (NotFound): nodes "${name}" not found\n`);
    return 1;
  }
  if ((node.spec.unschedulable === true) === unschedulable) {
    inv.out(`node/${name} already ${verb}\n`);
    return 0;
  }
  const answer = kubeCall(inv, 'PATCH', resourceUrl(NODES, undefined, name), {
    body: { spec: { unschedulable: unschedulable ? true : null } },
  });
  if (answer.code >= 300) {
    inv.err(serverError(answer));
    return 1;
  }
  inv.out(`node/${name} ${verb}\n`);
  return 0;
}

/**
 * `kubectl drain NODE --ignore-daemonsets`: cordon, list the node's pods, refuse (or with the
 * flag skip) DaemonSet pods as kubectl does, then evict the rest through the Eviction API.
 */
export function drain(inv: ToolInvocation, flags: KubectlFlags, args: readonly string[]): number {
  const [arg] = args;
  if (arg === undefined) {
    inv.err("error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples\n");
    return 1;
  }
  const name = nodeArg(arg);
  if (setUnschedulable(inv, name, true) !== 0) return 1;
  const list = okJson<{ items: (KubeObject & { metadata: { namespace: string } })[] }>(
    kubeCall(inv, 'GET', `/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${name}`)}`),
  );
  const pods = list?.items ?? [];
  const daemon = pods.filter((p) => (p.metadata.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet'));
  if (daemon.length && !flags.ignoreDaemonsets) {
    inv.err(
      `error: unable to drain node "${name}" due to error:cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${daemon
        .map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
        .join(
          ', ',
        )}, continuing command...\nThere are pending nodes to be drained:\n ${name}\ncannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${daemon
        .map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
        .join(', ')}\n`,
    );
    return 1;
  }
  if (daemon.length) {
    inv.err(
      `Warning: ignoring DaemonSet-managed Pods: ${daemon.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ')}\n`,
    );
  }
  for (const pod of pods.filter((p) => !daemon.includes(p))) {
    inv.out(`evicting pod ${pod.metadata.namespace}/${pod.metadata.name}\n`);
    const answer = kubeCall(inv, 'POST', resourceUrl(PODS, pod.metadata.namespace, pod.metadata.name, 'eviction'), {
      body: {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace },
      },
    });
    if (answer.code >= 300) {
      inv.err(serverError(answer));
      return 1;
    }
    inv.out(`pod/${pod.metadata.name} evicted\n`);
  }
  inv.out(`node/${name} drained\n`);
  return 0;
}

/** `kubectl scale deployment coredns --replicas=N` (or `deploy/coredns`): PATCH the scale subresource. */
export function scale(inv: ToolInvocation, flags: KubectlFlags, args: readonly string[]): number {
  if (flags.replicas === undefined || !/^\d+$/.test(flags.replicas)) {
    inv.err(
      flags.replicas === undefined
        ? 'error: required flag(s) "replicas" not set\n'
        : `error: invalid argument "${flags.replicas}" for "--replicas" flag: strconv.ParseInt: parsing "${flags.replicas}": invalid syntax\n`,
    );
    return 1;
  }
  const [first, second] = args;
  const [type, name] = first?.includes('/') ? (first.split('/') as [string, string]) : [first, second];
  if (type === undefined || name === undefined) {
    inv.err(
      "error: resource(s) were provided, but no name was specified\nSee 'kubectl scale -h' for help and examples\n",
    );
    return 1;
  }
  const r = resourceByName(type);
  if (r !== DEPLOYMENTS) {
    inv.err(
      r
        ? `error: no objects passed to scale ${r.name} "${name}": the simulator scales only deployments (kubectl scale deployment coredns -n kube-system --replicas=N)\n`
        : `error: the server doesn't have a resource type "${type}"\n`,
    );
    return 1;
  }
  const answer = kubeCall(inv, 'PATCH', resourceUrl(r, namespaceOf(flags) ?? 'default', name, 'scale'), {
    body: { spec: { replicas: Number(flags.replicas) } },
  });
  if (answer.code >= 300) {
    inv.err(serverError(answer));
    return 1;
  }
  inv.out(`deployment.apps/${name} scaled\n`);
  return 0;
}
