/**
 * `eksctl upgrade cluster` and `eksctl upgrade nodegroup` (docs/versions-and-cost.md, AWS EKS User Guide, kubernetes-versions.html): one minor
 * version at a time, through the versions domain; without `--approve` the cluster upgrade only
 * shows its plan. Node groups are never upgraded with the control plane.
 */
import { clusterStackName, nodegroupStackName } from '../../provisioning/provisioning-domain';
import type { ToolInvocation } from '../tool';
import { checkRegion, fatal, metadataOf, readConfigFile, setUp } from './context';
import { bool, str } from './flags';
import { waitForUpdate } from './update-vpc-config';

const nextMinor = (version: string): string => {
  const [major, minor] = version.split('.');
  return `${major}.${Number(minor) + 1}`;
};

export function upgradeCluster(inv: ToolInvocation, args: readonly string[]): number {
  const e = setUp(
    inv,
    args,
    [
      { name: 'name', short: 'n', kind: 'string', usage: 'EKS cluster name' },
      {
        name: 'version',
        kind: 'string',
        usage: 'Kubernetes version (valid options: the next minor version) (default: the next version)',
      },
      { name: 'approve', kind: 'bool', usage: 'Apply the changes' },
      {
        name: 'config-file',
        short: 'f',
        kind: 'string',
        usage: "load configuration from a file (or stdin if set to '-')",
      },
    ],
    'Upgrade control plane to the next version\n\nUsage: eksctl upgrade cluster [flags]',
  );
  if (typeof e === 'number') return e;
  let name = str(e.flags, 'name') ?? e.flags.positionals[0];
  let fileVersion: string | undefined;
  const configFile = str(e.flags, 'config-file');
  if (configFile) {
    if (name) return fatal(inv, 'cannot use --name when --config-file/-f is set');
    const doc = readConfigFile(inv, configFile);
    if (typeof doc === 'string') return fatal(inv, doc);
    ({ name, version: fileVersion } = metadataOf(doc));
  }
  if (!name) return fatal(inv, '--name must be set');
  const cluster = inv.ctx.domains.cluster.cluster;
  if (!cluster || cluster.name !== name || checkRegion(e)) {
    return fatal(
      inv,
      `unable to describe cluster control plane: ResourceNotFoundException: No cluster found for name: ${name}.`,
    );
  }
  const { log } = e;
  const target = str(e.flags, 'version') ?? fileVersion ?? nextMinor(cluster.version);
  if (target === cluster.version) {
    log.info(`cluster "${name}" control plane is already at version "${cluster.version}"`);
    return 0;
  }
  if (target !== nextMinor(cluster.version)) {
    return fatal(
      inv,
      `control plane version "${cluster.version}" can only be upgraded to "${nextMinor(cluster.version)}", but version "${target}" was requested`,
    );
  }
  log.info(`will upgrade cluster "${name}" control plane from current version "${cluster.version}" to "${target}"`);
  if (!bool(e.flags, 'approve')) {
    log.warning("no changes were applied, run again with '--approve' to apply the changes");
    return 0;
  }
  const result = inv.ctx.domains.versions.updateClusterVersion(name, target);
  if ('code' in result) {
    return fatal(
      inv,
      `updating cluster version: operation error EKS: UpdateClusterVersion, ${result.code}: ${result.message}`,
    );
  }
  if (!waitForUpdate(e, name, 'VersionUpdate', result.updateId)) {
    return fatal(inv, `waiting for requested "VersionUpdate" in cluster "${name}" to succeed: it did not`);
  }
  log.success(`cluster "${name}" control plane has been upgraded to version "${target}"`);
  log.info('you will need to follow the upgrade procedure for all of nodegroups and add-ons');
  const stack = clusterStackName(name);
  log.info(`re-building cluster stack "${stack}"`);
  log.success(`all resources in cluster stack "${stack}" are up-to-date`);
  log.info('checking security group configuration for all nodegroups');
  log.info('all nodegroups have up-to-date cloudformation templates');
  return 0;
}

export function upgradeNodegroup(inv: ToolInvocation, args: readonly string[]): number {
  const e = setUp(
    inv,
    args,
    [
      { name: 'cluster', short: 'c', kind: 'string', usage: 'EKS cluster name' },
      { name: 'name', short: 'n', kind: 'string', usage: 'Nodegroup name' },
      { name: 'kubernetes-version', kind: 'string', usage: 'Kubernetes version (default: the control plane version)' },
      { name: 'wait', kind: 'bool', usage: 'wait for the upgrade to complete (default true)' },
      {
        name: 'force-upgrade',
        kind: 'bool',
        usage:
          "Force the update if the existing node group's pods are unable to be drained due to a pod disruption budget issue",
      },
    ],
    'Upgrade nodegroup\n\nUsage: eksctl upgrade nodegroup [flags]',
  );
  if (typeof e === 'number') return e;
  const clusterName = str(e.flags, 'cluster');
  const name = str(e.flags, 'name') ?? e.flags.positionals[0];
  if (!clusterName) return fatal(inv, '--cluster must be set');
  if (!name) return fatal(inv, '--name must be set');
  const ctx = inv.ctx;
  const cluster = ctx.domains.cluster.cluster;
  if (!cluster || cluster.name !== clusterName || checkRegion(e)) {
    return fatal(
      inv,
      `unable to describe cluster control plane: ResourceNotFoundException: No cluster found for name: ${clusterName}.`,
    );
  }
  const { log } = e;
  const target = str(e.flags, 'kubernetes-version') ?? cluster.version;
  log.info(`setting ForceUpdateEnabled value to ${bool(e.flags, 'force-upgrade') ?? false}`);
  const stack = nodegroupStackName(clusterName, name);
  const hasStack = ctx.domains.provisioning.stack(stack) !== undefined;
  log.info('upgrading nodegroup version');
  const result = ctx.domains.versions.upgradeNodegroup(name, target, clusterName);
  if ('code' in result) {
    return fatal(
      inv,
      `upgrading nodegroup version: operation error EKS: UpdateNodegroupVersion, ${result.code}: ${result.message}`,
    );
  }
  if (hasStack) {
    ctx.domains.provisioning.beginStackUpdate(stack, ['LaunchTemplate', 'ManagedNodeGroup']);
    log.info('updating nodegroup stack');
    log.info(
      `waiting for CloudFormation changeset "eksctl-${name}-update-${Math.floor(ctx.clock.now() / 1000)}" for stack "${stack}"`,
    );
  }
  if (bool(e.flags, 'wait') === false) {
    log.info(`nodegroup "${name}" is being upgraded to ${result.toVersion}; not waiting (--wait=false)`);
    return 0;
  }
  const deadline = ctx.clock.now() + 3 * 60 * 60_000;
  const done = () => {
    const group = ctx.domains.nodegroups.find(name);
    return !group || (group.status === 'ACTIVE' && group.version === result.toVersion);
  };
  while (!done() && ctx.clock.now() < deadline) {
    inv.wait(e.rng.int(15, 30) * 1000);
    if (!done()) log.info(`waiting for CloudFormation stack "${stack}"`);
  }
  if (hasStack) ctx.domains.provisioning.endStackUpdate(stack);
  if (!done()) return fatal(inv, `timed out waiting for nodegroup "${name}" to be upgraded`);
  log.success('nodegroup successfully upgraded');
  return 0;
}
