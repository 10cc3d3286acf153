/** `eksctl get cluster` and `eksctl get nodegroup`: EKS API reads, so they work whatever the endpoint mode. */

import { stringify as toYaml } from 'yaml';
import { EKS_ERROR_TEXT, eksError, goSdkErrorText } from '../../answers/index';
import { isoTime } from '../../engine/duration';
import { hashName } from '../../engine/prng';
import type { ToolInvocation } from '../tool';
import { checkRegion, fatal, setUp } from './context';
import { type FlagSpec, str } from './flags';

const OUTPUT: FlagSpec = {
  name: 'output',
  short: 'o',
  kind: 'string',
  usage: 'specifies the output format (valid option: table, json, yaml) (default "table")',
};

/** Columns aligned with spaces, as Go's tabwriter lays out eksctl's tables (padding 3). */
function table(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3)))
      .join('')
      .trimEnd();
  return `${rows.map(line).join('\n')}\n`;
}

function print(inv: ToolInvocation, format: string, rows: string[][], objects: unknown[]): number {
  if (format === 'json') inv.out(`${JSON.stringify(objects, null, 4)}\n`);
  else if (format === 'yaml') inv.out(toYaml(objects));
  else if (format === 'table') inv.out(table(rows));
  else return fatal(inv, `unknown output format "${format}" (valid options: table, json, yaml)`);
  return 0;
}

/** EKS names a managed group's ASG `eks-<nodegroup>-<uuid>`; the uuid here is stable per name. */
function asgName(cluster: string, nodegroup: string): string {
  const hex = [1, 2, 3, 4].map((i) => hashName(`${cluster}/${nodegroup}/${i}`).toString(16).padStart(8, '0')).join('');
  return `eks-${nodegroup}-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function getCluster(inv: ToolInvocation, args: readonly string[]): number {
  const e = setUp(
    inv,
    args,
    [
      { name: 'name', short: 'n', kind: 'string', usage: 'EKS cluster name' },
      { name: 'all-regions', short: 'A', kind: 'bool', usage: 'List clusters across all supported regions' },
      OUTPUT,
    ],
    'Get cluster(s)\n\nUsage: eksctl get cluster [flags]',
  );
  if (typeof e === 'number') return e;
  const name = str(e.flags, 'name') ?? e.flags.positionals[0];
  const format = str(e.flags, 'output') ?? 'table';
  const cluster = inv.ctx.domains.cluster.cluster;
  const inRegion = checkRegion(e) === undefined || e.flags.values.get('all-regions') === true;
  if (!name) {
    if (!cluster || !inRegion) {
      if (format === 'table') e.log.info(`no clusters found`);
      else print(inv, format, [], []);
      return 0;
    }
    const eksctlCreated = inv.ctx.domains.provisioning.stack(`eksctl-${cluster.name}-cluster`) ? 'True' : 'False';
    return print(
      inv,
      format,
      [
        ['NAME', 'REGION', 'EKSCTL CREATED'],
        [cluster.name, inv.ctx.domains.cluster.region, eksctlCreated],
      ],
      [{ Name: cluster.name, Region: inv.ctx.domains.cluster.region, EksctlCreated: eksctlCreated }],
    );
  }
  if (!cluster || cluster.name !== name || !inRegion) {
    return fatal(
      inv,
      `unable to describe control plane "${name}": ${goSdkErrorText('DescribeCluster', eksError('ResourceNotFoundException', EKS_ERROR_TEXT.clusterNotFound(name)))}`,
    );
  }
  const vpc = cluster.resourcesVpcConfig;
  return print(
    inv,
    format,
    [
      ['NAME', 'VERSION', 'STATUS', 'CREATED', 'VPC', 'SUBNETS', 'SECURITYGROUPS', 'PROVIDER'],
      [
        cluster.name,
        cluster.version,
        cluster.status,
        isoTime(cluster.createdAtMs).replace(/\.\d{3}Z$/, 'Z'),
        vpc.vpcId,
        vpc.subnetIds.join(','),
        vpc.securityGroupIds.join(','),
        'EKS',
      ],
    ],
    [
      {
        Name: cluster.name,
        Arn: cluster.arn,
        CreatedAt: isoTime(cluster.createdAtMs),
        Version: cluster.version,
        Endpoint: cluster.endpoint,
        RoleArn: cluster.roleArn,
        ResourcesVpcConfig: {
          SubnetIds: [...vpc.subnetIds],
          SecurityGroupIds: [...vpc.securityGroupIds],
          ClusterSecurityGroupId: vpc.clusterSecurityGroupId,
          VpcId: vpc.vpcId,
          EndpointPublicAccess: vpc.endpointPublicAccess,
          EndpointPrivateAccess: vpc.endpointPrivateAccess,
          PublicAccessCidrs: [...vpc.publicAccessCidrs],
        },
        Status: cluster.status,
        PlatformVersion: cluster.platformVersion,
      },
    ],
  );
}

export function getNodegroup(inv: ToolInvocation, args: readonly string[]): number {
  const e = setUp(
    inv,
    args,
    [
      { name: 'cluster', short: 'c', kind: 'string', usage: 'EKS cluster name' },
      { name: 'name', short: 'n', kind: 'string', usage: 'Name of the nodegroup' },
      OUTPUT,
    ],
    'Get nodegroup(s)\n\nUsage: eksctl get nodegroup [flags]',
  );
  if (typeof e === 'number') return e;
  const clusterName = str(e.flags, 'cluster');
  if (!clusterName) return fatal(inv, '--cluster must be set');
  const format = str(e.flags, 'output') ?? 'table';
  const cluster = inv.ctx.domains.cluster.cluster;
  if (!cluster || cluster.name !== clusterName || checkRegion(e)) {
    return fatal(inv, `cluster "${clusterName}" not found: No cluster found for name: ${clusterName}.`);
  }
  const wanted = str(e.flags, 'name') ?? e.flags.positionals[0];
  const groups = inv.ctx.domains.nodegroups.all.filter(
    (g) => g.clusterName === clusterName && (!wanted || g.name === wanted),
  );
  if (wanted && groups.length === 0) {
    return fatal(inv, `nodegroup "${wanted}" not found: No node group found for name: ${wanted}.`);
  }
  if (groups.length === 0 && format === 'table') {
    e.log.info(`no nodegroups found`);
    return 0;
  }
  // eksctl tells the kinds apart by their stacks: an unmanaged group's has a NodeGroup ASG.
  const typeOf = (ng: string) =>
    inv.ctx.domains.provisioning
      .stackResources(`eksctl-${clusterName}-nodegroup-${ng}`)
      ?.some((r) => r.LogicalResourceId === 'NodeGroup')
      ? 'unmanaged'
      : 'managed';
  const rows = [
    [
      'CLUSTER',
      'NODEGROUP',
      'STATUS',
      'CREATED',
      'MIN SIZE',
      'MAX SIZE',
      'DESIRED CAPACITY',
      'INSTANCE TYPE',
      'IMAGE ID',
      'ASG NAME',
      'TYPE',
    ],
    ...groups.map((g) => [
      clusterName,
      g.name,
      g.status,
      isoTime(g.createdAtMs).replace(/\.\d{3}Z$/, 'Z'),
      String(g.scaling.minSize),
      String(g.scaling.maxSize),
      String(g.scaling.desiredSize),
      g.instanceType,
      'AL2_x86_64',
      asgName(clusterName, g.name),
      typeOf(g.name),
    ]),
  ];
  const objects = groups.map((g) => ({
    StackName: `eksctl-${clusterName}-nodegroup-${g.name}`,
    Cluster: clusterName,
    Name: g.name,
    Status: g.status,
    MaxSize: g.scaling.maxSize,
    MinSize: g.scaling.minSize,
    DesiredCapacity: g.scaling.desiredSize,
    InstanceType: g.instanceType,
    ImageID: 'AL2_x86_64',
    Version: g.version,
    NodeInstanceRoleARN: g.nodeRoleArn,
    Type: typeOf(g.name),
  }));
  return print(inv, format, rows, objects);
}
