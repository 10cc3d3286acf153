/**
 * `eksctl create nodegroup` and `eksctl delete nodegroup` (eksctl.io (VPC Networking)): one more node-group
 * stack on a running cluster, or one fewer. Deleting drains the nodes first, through the
 * Kubernetes API, so it needs the API server reachable, like `delete cluster` (docs/endpoint-modes.md).
 */
import { planFrom } from '../../provisioning/cluster-config';
import { nodegroupStackName } from '../../provisioning/provisioning-domain';
import type { ToolInvocation } from '../tool';
import { checkRegion, configContext, fatal, kubernetesApiUnreachable, pollMs, setUp } from './context';
import { bool, type FlagSpec, int, str } from './flags';

const NODEGROUP_FLAGS: readonly FlagSpec[] = [
  { name: 'cluster', short: 'c', kind: 'string', usage: 'name of the EKS cluster to add the nodegroup to' },
  {
    name: 'name',
    short: 'n',
    kind: 'string',
    usage: 'name of the new nodegroup (generated if unspecified, e.g. "ng-d4b2cd1c")',
  },
  { name: 'managed', kind: 'bool', usage: 'Create EKS-managed nodegroup (default true)' },
  { name: 'node-type', short: 't', kind: 'string', usage: 'node instance type (default "m5.large")' },
  { name: 'nodes', short: 'N', kind: 'int', usage: 'total number of nodes (for a static ASG) (default 2)' },
  { name: 'nodes-min', short: 'm', kind: 'int', usage: 'minimum nodes in ASG (default 2)' },
  { name: 'nodes-max', short: 'M', kind: 'int', usage: 'maximum nodes in ASG (default 2)' },
  { name: 'node-volume-size', kind: 'int', usage: 'node volume size in GB (default 80)' },
  { name: 'node-private-networking', short: 'P', kind: 'bool', usage: 'whether to make nodegroup networking private' },
  { name: 'ssh-access', kind: 'bool', usage: 'control SSH access for nodes' },
  { name: 'external-dns-access', kind: 'bool', usage: 'enable IAM policy for external-dns' },
];

export function createNodegroup(inv: ToolInvocation, args: readonly string[]): number {
  const e = setUp(inv, args, NODEGROUP_FLAGS, 'Create a nodegroup\n\nUsage: eksctl create nodegroup [flags]');
  if (typeof e === 'number') return e;
  const f = e.flags;
  const clusterName = str(f, 'cluster');
  if (!clusterName) return fatal(inv, '--cluster must be set');
  const cluster = inv.ctx.domains.cluster.cluster;
  if (!cluster || cluster.name !== clusterName || checkRegion(e)) {
    return fatal(
      inv,
      `getting cluster "${clusterName}": ResourceNotFoundException: No cluster found for name: ${clusterName}.`,
    );
  }
  const nodes = int(f, 'nodes');
  const desired = nodes ?? int(f, 'nodes-min') ?? 2;
  const ngName =
    str(f, 'name') ??
    f.positionals[0] ??
    `ng-${Array.from({ length: 8 }, () => '0123456789abcdef'[e.rng.int(0, 15)]).join('')}`;
  const managed = bool(f, 'managed') ?? true;
  const spec = {
    name: ngName,
    instanceType: str(f, 'node-type') ?? 'm5.large',
    desiredCapacity: desired,
    minSize: int(f, 'nodes-min') ?? desired,
    maxSize: int(f, 'nodes-max') ?? Math.max(desired, int(f, 'nodes-min') ?? desired),
    volumeSize: int(f, 'node-volume-size') ?? 80,
    privateNetworking: bool(f, 'node-private-networking') ?? false,
    ssh: bool(f, 'ssh-access') ? { allow: true, publicKeyPath: '~/.ssh/id_rsa.pub' } : { allow: false },
    iam: { withAddonPolicies: { externalDNS: bool(f, 'external-dns-access') ?? false } },
  };
  // The same checks as a ClusterConfig with this one node group, on the cluster's version.
  const checked = planFrom(
    {
      apiVersion: 'eksctl.io/v1alpha5',
      kind: 'ClusterConfig',
      metadata: { name: clusterName, region: e.region, version: cluster.version },
      [managed ? 'managedNodeGroups' : 'nodeGroups']: [spec],
    },
    configContext(inv),
  );
  if (!checked.ok) return fatal(inv, checked.error);
  const ng = checked.plan.nodeGroups[0];
  if (!ng) return fatal(inv, 'no nodegroup to create');
  const { log } = e;
  log.info(`will use version ${cluster.version} for new nodegroup(s) based on control plane version`);
  log.info(`nodegroup "${ng.name}" will use "" [${ng.amiFamily}/${cluster.version}]`);
  log.info(`1 nodegroup (${ng.name}) was included (based on the include/exclude rules)`);
  log.info(
    `will create a CloudFormation stack for each of 1 ${managed ? 'managed ' : ''}nodegroups in cluster "${clusterName}"`,
  );
  log.info(
    `\n2 sequential tasks: { fix cluster compatibility, 1 task: { 1 task: { create ${managed ? 'managed ' : ''}nodegroup "${ng.name}" } } \n}`,
  );
  log.info('checking cluster stack for missing resources');
  log.info('cluster stack has all required resources');
  const stackName = nodegroupStackName(clusterName, ng.name);
  log.info(`building ${managed ? 'managed ' : ''}nodegroup stack "${stackName}"`);
  const refused = inv.ctx.domains.provisioning.createNodegroup(clusterName, ng);
  if (refused) return fatal(inv, refused);
  log.info(`deploying stack "${stackName}"`);
  const prov = inv.ctx.domains.provisioning;
  const deadline = inv.ctx.clock.now() + 60 * 60_000;
  const inProgress = () => prov.stack(stackName)?.StackStatus === 'CREATE_IN_PROGRESS';
  while (inProgress() && inv.ctx.clock.now() < deadline) {
    inv.wait(pollMs(e));
    if (inProgress()) log.info(`waiting for CloudFormation stack "${stackName}"`);
  }
  const status = prov.stack(stackName)?.StackStatus;
  if (status !== 'CREATE_COMPLETE') {
    log.error(`unexpected status "${status}" while waiting for CloudFormation stack "${stackName}"`);
    for (const ev of prov.stackEvents(stackName) ?? []) {
      if (ev.ResourceStatus === 'CREATE_FAILED') {
        log.warning(`${ev.ResourceType}/${ev.LogicalResourceId}: CREATE_FAILED – "${ev.ResourceStatusReason ?? ''}"`);
      }
    }
    return fatal(inv, `failed to create nodegroups for cluster "${clusterName}"`);
  }
  log.info('no tasks');
  const group = inv.ctx.domains.nodegroups.find(ng.name);
  log.info(`nodegroup "${ng.name}" has ${group?.nodes.length ?? 0} node(s)`);
  for (const node of group?.nodes ?? [])
    log.info(`node "${node.name}" is ${node.state === 'Ready' ? 'ready' : 'not ready'}`);
  log.success(`created 1 ${managed ? 'managed ' : ''}nodegroup(s) in cluster "${clusterName}"`);
  log.info('checking security group configuration for all nodegroups');
  log.info('all nodegroups have up-to-date cloudformation templates');
  return 0;
}

export function deleteNodegroup(inv: ToolInvocation, args: readonly string[]): number {
  const e = setUp(
    inv,
    args,
    [
      { name: 'cluster', short: 'c', kind: 'string', usage: 'EKS cluster name' },
      { name: 'name', short: 'n', kind: 'string', usage: 'Name of the nodegroup to delete' },
      {
        name: 'drain',
        kind: 'bool',
        usage: 'Drain and cordon all nodes in the nodegroup before deletion (default true)',
      },
      { name: 'wait', short: 'w', kind: 'bool', usage: 'wait for deletion of all resources before exiting' },
      { name: 'approve', kind: 'bool', usage: 'Apply the changes (eksctl only plans without it when -f is used)' },
    ],
    'Delete a nodegroup\n\nUsage: eksctl delete nodegroup [flags]',
  );
  if (typeof e === 'number') return e;
  const clusterName = str(e.flags, 'cluster');
  const name = str(e.flags, 'name') ?? e.flags.positionals[0];
  if (!clusterName) return fatal(inv, '--cluster must be set');
  if (!name) return fatal(inv, '--name must be set');
  const group = inv.ctx.domains.nodegroups.find(name);
  if (!group || group.clusterName !== clusterName || checkRegion(e)) {
    return fatal(inv, `nodegroup "${name}" not found: No node group found for name: ${name}.`);
  }
  const { log } = e;
  log.info(`1 nodegroup (${name}) was included (based on the include/exclude rules)`);
  if (bool(e.flags, 'drain') !== false) {
    log.info(`will drain 1 nodegroup(s) in cluster "${clusterName}"`);
    log.info('starting parallel draining, max in-flight of 1');
    const unreachable = kubernetesApiUnreachable(
      inv,
      `draining nodegroup "${name}": listing nodes`,
      `/api/v1/nodes?labelSelector=alpha.eksctl.io%2Fnodegroup-name%3D${name}`,
    );
    if (unreachable !== undefined) return unreachable;
    for (const node of group.nodes) log.info(`cordon node "${node.name}"`);
    log.success(`drained all nodes: [${group.nodes.map((n) => n.name).join(' ')}]`);
  }
  log.info(`will delete 1 nodegroups from cluster "${clusterName}"`);
  const stackName = nodegroupStackName(clusterName, name);
  log.info(`1 task: { 1 task: { delete nodegroup "${name}" [async] } }`);
  log.info(`will delete stack "${stackName}"`);
  const refused = inv.ctx.domains.provisioning.deleteNodegroup(clusterName, name);
  if (refused) return fatal(inv, refused);
  if (bool(e.flags, 'wait')) {
    const prov = inv.ctx.domains.provisioning;
    const deadline = inv.ctx.clock.now() + 60 * 60_000;
    while (prov.stack(stackName) !== undefined && inv.ctx.clock.now() < deadline) {
      inv.wait(pollMs(e));
      if (prov.stack(stackName) !== undefined) log.info(`waiting for CloudFormation stack "${stackName}"`);
    }
  }
  log.success(`deleted 1 nodegroup(s) from cluster "${clusterName}"`);
  return 0;
}
