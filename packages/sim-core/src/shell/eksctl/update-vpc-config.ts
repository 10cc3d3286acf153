/**
 * `eksctl utils update-cluster-vpc-config` (eksctl.io (Cluster Access), docs/endpoint-modes.md): shows the plan, and with
 * `--approve` asks EKS for the change (UpdateClusterConfig through the endpoint domain) and
 * waits for the update. It talks to the EKS API only, so it works from anywhere — which is how
 * the seed's author could lock the bastion out (docs/endpoint-modes.md).
 */
import { eksErrorOfCommand, goSdkErrorText } from '../../answers/index';
import { EKSCTL_NO_ENDPOINT_ACCESS } from '../../provisioning/cluster-config';
import type { ToolInvocation } from '../tool';
import { applyAsShell } from '../tools/aws/operation';
import { checkRegion, type Eksctl, fatal, metadataOf, readConfigFile, setUp } from './context';
import { bool, list, str } from './flags';

/** Waits for the cluster's newest update of `type` to leave InProgress, printing eksctl's waiting line. */
export function waitForUpdate(e: Eksctl, clusterName: string, type: string, updateId: string | undefined): boolean {
  const cluster = e.inv.ctx.domains.cluster;
  const find = () =>
    updateId
      ? cluster.findUpdate(updateId)
      : [...(cluster.cluster?.updates ?? [])].reverse().find((u) => u.type === type);
  const deadline = e.inv.ctx.clock.now() + 90 * 60_000;
  while (find()?.status === 'InProgress' && e.inv.ctx.clock.now() < deadline) {
    e.log.info(`waiting for requested "${type}" in cluster "${clusterName}" to succeed`);
    e.inv.wait(e.rng.int(15, 30) * 1000);
  }
  return find()?.status === 'Successful';
}

export function updateClusterVpcConfig(inv: ToolInvocation, args: readonly string[]): number {
  const e = setUp(
    inv,
    args,
    [
      { name: 'cluster', short: 'c', kind: 'string', usage: 'EKS cluster name' },
      { name: 'name', short: 'n', kind: 'string', usage: 'EKS cluster name (deprecated; use --cluster)' },
      { name: 'private-access', kind: 'bool', usage: 'access for private (VPC) clients' },
      { name: 'public-access', kind: 'bool', usage: 'access for public clients' },
      {
        name: 'public-access-cidrs',
        kind: 'strings',
        usage: 'CIDR blocks that EKS uses to create a security group on the public endpoint',
      },
      { name: 'approve', kind: 'bool', usage: 'Apply the changes' },
      {
        name: 'config-file',
        short: 'f',
        kind: 'string',
        usage: "load configuration from a file (or stdin if set to '-')",
      },
    ],
    'Update Kubernetes API endpoint access configuration and public access CIDRs\n\nUsage: eksctl utils update-cluster-vpc-config [flags]',
  );
  if (typeof e === 'number') return e;
  let name = str(e.flags, 'cluster') ?? str(e.flags, 'name') ?? e.flags.positionals[0];
  const fromFile: { private?: boolean; public?: boolean; cidrs?: string[] } = {};
  const configFile = str(e.flags, 'config-file');
  if (configFile) {
    for (const flag of ['cluster', 'name', 'private-access', 'public-access', 'public-access-cidrs']) {
      if (e.flags.values.has(flag)) return fatal(inv, `cannot use --${flag} when --config-file/-f is set`);
    }
    const doc = readConfigFile(inv, configFile);
    if (typeof doc === 'string') return fatal(inv, doc);
    name = metadataOf(doc).name;
    const vpcDoc = (doc.vpc ?? {}) as Record<string, unknown>;
    // The command also updates control-plane subnets and security groups; those are not modelled.
    const refused = ['controlPlaneSubnetIDs', 'controlPlaneSecurityGroupIDs'].filter((k) => vpcDoc[k] !== undefined);
    if (refused.length) {
      return fatal(
        inv,
        `${configFile}: eks-sim does not model ${refused.map((k) => `vpc.${k}`).join(', ')} (the network model places the cluster's ENIs); remove ${refused.length === 1 ? 'it' : 'them'} to update endpoint access`,
      );
    }
    const endpoints = (vpcDoc.clusterEndpoints ?? {}) as { privateAccess?: unknown; publicAccess?: unknown };
    if (typeof endpoints.privateAccess === 'boolean') fromFile.private = endpoints.privateAccess;
    if (typeof endpoints.publicAccess === 'boolean') fromFile.public = endpoints.publicAccess;
    if (Array.isArray(vpcDoc.publicAccessCIDRs)) fromFile.cidrs = vpcDoc.publicAccessCIDRs.map(String);
  }
  if (!name) return fatal(inv, '--cluster must be set');
  const { log } = e;
  const cluster = inv.ctx.domains.cluster.cluster;
  if (!cluster || cluster.name !== name || checkRegion(e)) {
    return fatal(
      inv,
      `unable to describe cluster control plane: ResourceNotFoundException: No cluster found for name: ${name}.`,
    );
  }
  log.info(`using region ${e.region}`);
  const vpc = cluster.resourcesVpcConfig;
  const privateAccess = bool(e.flags, 'private-access') ?? fromFile.private ?? vpc.endpointPrivateAccess;
  const publicAccess = bool(e.flags, 'public-access') ?? fromFile.public ?? vpc.endpointPublicAccess;
  const cidrs = list(e.flags, 'public-access-cidrs') ?? fromFile.cidrs;
  const approve = bool(e.flags, 'approve') ?? false;
  const where = `cluster "${name}" in "${e.region}"`;
  const endpointChange = privateAccess !== vpc.endpointPrivateAccess || publicAccess !== vpc.endpointPublicAccess;
  const cidrChange = cidrs !== undefined && cidrs.join(',') !== vpc.publicAccessCidrs.join(',');
  if (!privateAccess && !publicAccess) {
    return fatal(inv, EKSCTL_NO_ENDPOINT_ACCESS);
  }

  log.info(
    `current Kubernetes API endpoint access: privateAccess=${vpc.endpointPrivateAccess}, publicAccess=${vpc.endpointPublicAccess}`,
  );
  if (!endpointChange) log.success(`Kubernetes API endpoint access for ${where} is already up-to-date`);
  else {
    log.info(
      `will update Kubernetes API endpoint access for ${where} to: privateAccess=${privateAccess}, publicAccess=${publicAccess}`,
    );
    if (publicAccess === false) {
      log.warning(
        'warning, having public access disallowed will subsequently interfere with some features of eksctl. This will require running subsequent eksctl (and Kubernetes) commands/API calls from within the VPC.  Running these in the VPC requires making updates to some AWS resources.  See: https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html#private-access for more details',
      );
    }
  }
  if (cidrs !== undefined) {
    log.info(`current public access CIDRs: [${vpc.publicAccessCidrs.join(' ')}]`);
    if (!cidrChange) log.success(`public access CIDRs for ${where} are already up-to-date`);
    else log.info(`will update public access CIDRs for ${where} to: [${cidrs.join(' ')}]`);
  }
  if (!endpointChange && !cidrChange) return 0;
  if (!approve) {
    log.warning("no changes were applied, run again with '--approve' to apply the changes");
    return 0;
  }
  if (endpointChange) {
    const result = applyAsShell(inv, 'endpoint.update', { public: publicAccess, private: privateAccess });
    if (!result.ok) {
      return fatal(
        inv,
        `updating Kubernetes API endpoint access: ${goSdkErrorText('UpdateClusterConfig', eksErrorOfCommand(result))}`,
      );
    }
    const id = (result.data as { update?: { id?: string } } | undefined)?.update?.id;
    if (!waitForUpdate(e, name, 'EndpointAccessUpdate', id)) {
      return fatal(inv, `waiting for requested "EndpointAccessUpdate" in cluster "${name}" to succeed: it did not`);
    }
    log.success(
      `Kubernetes API endpoint access for ${where} has been updated to: privateAccess=${privateAccess}, publicAccess=${publicAccess}`,
    );
  }
  if (cidrChange && cidrs) {
    const result = applyAsShell(inv, 'endpoint.update', { publicAccessCidrs: cidrs });
    if (!result.ok) {
      return fatal(
        inv,
        `updating public access CIDRs: ${goSdkErrorText('UpdateClusterConfig', eksErrorOfCommand(result))}`,
      );
    }
    const id = (result.data as { update?: { id?: string } } | undefined)?.update?.id;
    if (!waitForUpdate(e, name, 'EndpointAccessUpdate', id)) {
      return fatal(inv, `waiting for requested "EndpointAccessUpdate" in cluster "${name}" to succeed: it did not`);
    }
    log.success(`public access CIDRs for ${where} have been updated to: [${cidrs.join(' ')}]`);
  }
  return 0;
}
