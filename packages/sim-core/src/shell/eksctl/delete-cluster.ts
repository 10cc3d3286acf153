/**
 * `eksctl delete cluster` (docs/endpoint-modes.md): before touching CloudFormation, eksctl lists the
 * cluster's Services through the Kubernetes API to clean up load balancers. From a host that
 * cannot reach the API server (a bastion after the switch to a private endpoint without a 443
 * rule) that call times out and eksctl gives up: the cluster stays, as in the seed's lab.
 */
import { EKS_ERROR_TEXT, eksError, goSdkErrorText } from '../../answers/index';
import { clusterStackName } from '../../provisioning/provisioning-domain';
import type { ToolInvocation } from '../tool';
import { checkRegion, fatal, kubernetesApiUnreachable, metadataOf, pollMs, readConfigFile, setUp } from './context';
import { bool, str } from './flags';

export function deleteCluster(inv: ToolInvocation, args: readonly string[]): number {
  const e = setUp(
    inv,
    args,
    [
      { name: 'name', short: 'n', kind: 'string', usage: 'EKS cluster name' },
      { name: 'wait', short: 'w', kind: 'bool', usage: 'wait for deletion of all resources before exiting' },
      { name: 'force', kind: 'bool', usage: 'Force deletion to continue when errors occur' },
      {
        name: 'disable-nodegroup-eviction',
        kind: 'bool',
        usage: 'Force drain to use delete, even if eviction is supported',
      },
      {
        name: 'config-file',
        short: 'f',
        kind: 'string',
        usage: "load configuration from a file (or stdin if set to '-')",
      },
    ],
    'Delete a cluster\n\nUsage: eksctl delete cluster [flags]',
  );
  if (typeof e === 'number') return e;
  let name = str(e.flags, 'name') ?? e.flags.positionals[0];
  const configFile = str(e.flags, 'config-file');
  if (configFile) {
    const doc = readConfigFile(inv, configFile);
    if (typeof doc === 'string') return fatal(inv, doc);
    name = metadataOf(doc).name;
  }
  if (!name) return fatal(inv, '--name must be set');
  const { log } = e;
  const ctx = inv.ctx;
  log.info(`deleting EKS cluster "${name}"`);
  const cluster = ctx.domains.cluster.cluster;
  const regionError = checkRegion(e);
  if (!cluster || cluster.name !== name || regionError) {
    return fatal(
      inv,
      `unable to describe cluster control plane: ${goSdkErrorText('DescribeCluster', eksError('ResourceNotFoundException', EKS_ERROR_TEXT.clusterNotFound(name)))}`,
    );
  }
  if (cluster.status === 'DELETING') return fatal(inv, `cluster "${name}" is already being deleted (status DELETING)`);
  if (cluster.status === 'UPDATING') {
    return fatal(
      inv,
      goSdkErrorText('DeleteCluster', eksError('ResourceInUseException', `Cluster has an update in progress: ${name}`)),
    );
  }
  log.info(`will drain 0 unmanaged nodegroup(s) in cluster "${name}"`);
  log.info('starting parallel draining, max in-flight of 1');
  log.info('deleted 0 Fargate profile(s)');
  log.success('kubeconfig has been updated');
  log.info('cleaning up AWS load balancers created by Kubernetes objects of Kind Service or Ingress');

  const unreachable = kubernetesApiUnreachable(inv, 'cannot list Kubernetes Services', '/api/v1/services');
  if (unreachable !== undefined) return unreachable;

  const prov = ctx.domains.provisioning;
  const groups = ctx.domains.nodegroups.all.filter((g) => g.clusterName === name);
  const ngStacks = groups
    .map((g) => `eksctl-${name}-nodegroup-${g.name}`)
    .filter((stack) => prov.stack(stack) !== undefined);
  const tasks = [
    ...groups.map((g) => `delete nodegroup "${g.name}"`),
    `delete cluster control plane "${name}" [async]`,
  ];
  log.info(`\n${tasks.length} sequential tasks: { ${tasks.join(', ')} \n}`);
  const refused = prov.deleteCluster(name);
  if (refused) return fatal(inv, refused);
  for (const stack of ngStacks) {
    log.info(`will delete stack "${stack}"`);
    log.info(`waiting for stack "${stack}" to get deleted`);
  }
  const deadline = ctx.clock.now() + 60 * 60_000;
  for (const stack of ngStacks) {
    while (prov.stack(stack) !== undefined && ctx.clock.now() < deadline) {
      inv.wait(pollMs(e));
      if (prov.stack(stack) !== undefined) log.info(`waiting for CloudFormation stack "${stack}"`);
    }
  }
  // The node-group stacks are gone; the domain starts the cluster stack's deletion at once.
  const clusterStack = clusterStackName(name);
  log.info(`will delete stack "${clusterStack}"`);
  if (bool(e.flags, 'wait')) {
    log.info(`waiting for stack "${clusterStack}" to get deleted`);
    while (prov.stack(clusterStack) !== undefined && ctx.clock.now() < deadline) {
      inv.wait(pollMs(e));
      if (prov.stack(clusterStack) !== undefined) log.info(`waiting for CloudFormation stack "${clusterStack}"`);
    }
  }
  log.success('all cluster resources were deleted');
  return 0;
}
