import { ACCOUNT_ID } from '../../../cluster/facts';
import type { SecurityGroup, SgRule } from '../../../network/types';
import type { ToolInvocation } from '../../tool';
import { networkView } from '../../world';
import { instanceIdOf } from '../imds';
import { describeNetworkInterfaces } from './network-interfaces';
import {
  type AwsOutcome,
  applyAsShell,
  type Filter,
  failure,
  type OperationInput,
  type Service,
  success,
  wildcard,
} from './operation';

/**
 * `aws ec2 …` over the customer VPC (docs/lessons/seed-week1.md; eksctl.io (VPC Networking)): security groups with their
 * rules as DescribeSecurityGroups returns them, subnets, VPCs, and the one change the seed's
 * fix needs, AuthorizeSecurityGroupIngress (docs/endpoint-modes.md).
 */

interface Tag {
  Key: string;
  Value: string;
}

/**
 * Tags as their makers put them: CloudFormation's stack tags on eksctl's groups, EKS's own on
 * the cluster security group, a Name on the lab's.
 */
function securityGroupTags(group: SecurityGroup): Tag[] {
  if (group.madeBy === 'eks') {
    const cluster = /^eks-cluster-sg-(.+)-\d+$/.exec(group.name)?.[1] ?? '';
    return [
      { Key: 'Name', Value: group.name },
      { Key: 'aws:eks:cluster-name', Value: cluster },
      { Key: `kubernetes.io/cluster/${cluster}`, Value: 'owned' },
    ];
  }
  if (group.madeBy === 'eksctl') {
    const cluster = /^eksctl-(.+?)-(cluster|nodegroup)-/.exec(group.name);
    const clusterName = cluster?.[1] ?? '';
    const clusterStack = /^(eksctl-.+-cluster)-(\w+)-[A-Za-z0-9]+$/.exec(group.name);
    const stack = clusterStack ? (clusterStack[1] as string) : group.name.replace(/-remoteAccess$/, '');
    const logical = clusterStack ? (clusterStack[2] as string) : 'SSH';
    return [
      { Key: 'Name', Value: `${stack}/${logical}` },
      { Key: 'alpha.eksctl.io/cluster-name', Value: clusterName },
      { Key: 'aws:cloudformation:logical-id', Value: logical },
      { Key: 'aws:cloudformation:stack-name', Value: stack },
    ];
  }
  return [{ Key: 'Name', Value: group.name }];
}

/** Rules with the same protocol and ports are one IpPermission with several peers, as EC2 returns them. */
function ipPermissions(rules: readonly SgRule[]): Record<string, unknown>[] {
  const byKey = new Map<
    string,
    Record<string, unknown> & { IpRanges: unknown[]; Ipv6Ranges: unknown[]; UserIdGroupPairs: unknown[] }
  >();
  for (const rule of rules) {
    const key = `${rule.protocol}/${rule.fromPort}/${rule.toPort}`;
    let permission = byKey.get(key);
    if (!permission) {
      permission = { IpProtocol: rule.protocol, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };
      if (rule.protocol !== '-1') Object.assign(permission, { FromPort: rule.fromPort, ToPort: rule.toPort });
      byKey.set(key, permission);
    }
    const description = rule.description ? { Description: rule.description } : {};
    if (rule.groupId) permission.UserIdGroupPairs.push({ ...description, GroupId: rule.groupId, UserId: ACCOUNT_ID });
    else if (rule.cidr?.includes(':')) permission.Ipv6Ranges.push({ ...description, CidrIpv6: rule.cidr });
    else if (rule.cidr) permission.IpRanges.push({ ...description, CidrIp: rule.cidr });
  }
  // Keep EC2's field order: IpProtocol, FromPort, ToPort first.
  return [...byKey.values()].map(({ IpProtocol, FromPort, ToPort, ...rest }) =>
    FromPort === undefined ? { IpProtocol, ...rest } : { FromPort, IpProtocol, ...rest, ToPort },
  );
}

/** Applies EC2 filters (`Name=…,Values=…`, `*` and `?` wildcards); undefined when a filter name is unknown. */
function filtered<T>(
  items: readonly T[],
  filters: readonly Filter[],
  fields: (item: T) => Record<string, string | undefined>,
  tags: (item: T) => Tag[],
): T[] | string {
  let result = [...items];
  for (const filter of filters) {
    const patterns = filter.values.map(wildcard);
    const matches = (value: string | undefined) => value !== undefined && patterns.some((p) => p.test(value));
    if (filter.name.startsWith('tag:')) {
      const key = filter.name.slice(4);
      result = result.filter((item) => tags(item).some((t) => t.Key === key && matches(t.Value)));
    } else if (filter.name === 'tag-key') {
      result = result.filter((item) => tags(item).some((t) => matches(t.Key)));
    } else {
      const sample = items[0] ? fields(items[0]) : {};
      if (items.length && !(filter.name in sample)) return `The filter '${filter.name}' is invalid`;
      result = result.filter((item) => matches(fields(item)[filter.name]));
    }
  }
  return result;
}

function describeSecurityGroups(input: OperationInput, inv: ToolInvocation): AwsOutcome {
  const view = networkView(inv.ctx);
  const groups = view?.securityGroups ?? [];
  const ids = input.lists['group-ids'] ?? [];
  const names = input.lists['group-names'] ?? [];
  for (const id of ids) {
    if (!groups.some((g) => g.id === id)) {
      return failure('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    }
  }
  for (const name of names) {
    if (!groups.some((g) => g.name === name)) {
      return failure(
        'InvalidGroup.NotFound',
        `The security group '${name}' does not exist in default VPC '${view?.vpcId ?? ''}'`,
      );
    }
  }
  const chosen = groups.filter(
    (g) => (ids.length === 0 || ids.includes(g.id)) && (names.length === 0 || names.includes(g.name)),
  );
  const result = filtered(
    chosen,
    input.filters,
    (g) => ({
      'group-name': g.name,
      'group-id': g.id,
      'vpc-id': view?.vpcId,
      description: g.description,
      'owner-id': ACCOUNT_ID,
    }),
    securityGroupTags,
  );
  if (typeof result === 'string') return failure('InvalidParameterValue', result);
  return success({
    SecurityGroups: result.map((g) => ({
      Description: g.description,
      GroupName: g.name,
      IpPermissions: ipPermissions(g.ingress),
      OwnerId: ACCOUNT_ID,
      GroupId: g.id,
      IpPermissionsEgress: ipPermissions(g.egress),
      Tags: securityGroupTags(g),
      VpcId: view?.vpcId,
    })),
  });
}

function describeSubnets(input: OperationInput, inv: ToolInvocation): AwsOutcome {
  const view = networkView(inv.ctx);
  const subnets = view?.subnets ?? [];
  const ids = input.lists['subnet-ids'] ?? [];
  const missing = ids.find((id) => !subnets.some((s) => s.id === id));
  if (missing) return failure('InvalidSubnetID.NotFound', `The subnet ID '${missing}' does not exist`);
  const result = filtered(
    subnets.filter((s) => ids.length === 0 || ids.includes(s.id)),
    input.filters,
    (s) => ({
      'subnet-id': s.id,
      'vpc-id': view?.vpcId,
      'availability-zone': s.az,
      'cidr-block': s.cidr,
      'map-public-ip-on-launch': String(s.mapPublicIpOnLaunch),
    }),
    (s) => [{ Key: 'Name', Value: s.name }],
  );
  if (typeof result === 'string') return failure('InvalidParameterValue', result);
  return success({
    Subnets: result.map((s) => ({
      AvailabilityZone: s.az,
      AvailableIpAddressCount: 251,
      CidrBlock: s.cidr,
      DefaultForAz: false,
      MapPublicIpOnLaunch: s.mapPublicIpOnLaunch,
      State: 'available',
      SubnetId: s.id,
      VpcId: view?.vpcId,
      OwnerId: ACCOUNT_ID,
      Tags: [{ Key: 'Name', Value: s.name }],
      SubnetArn: `arn:aws:ec2:${input.region}:${ACCOUNT_ID}:subnet/${s.id}`,
    })),
  });
}

function describeVpcs(input: OperationInput, inv: ToolInvocation): AwsOutcome {
  const view = networkView(inv.ctx);
  if (!view) return success({ Vpcs: [] });
  const ids = input.lists['vpc-ids'] ?? [];
  const missing = ids.find((id) => id !== view.vpcId);
  if (missing) return failure('InvalidVpcID.NotFound', `The vpc ID '${missing}' does not exist`);
  const name = (view.subnets[0]?.name ?? 'myeks-PublicSubnet1').replace(/-\w+Subnet\d+$/, '-VPC');
  const tags = [{ Key: 'Name', Value: name }];
  const result = filtered(
    [view],
    input.filters,
    (v) => ({ 'vpc-id': v.vpcId, 'cidr-block': v.vpcCidr }),
    () => tags,
  );
  if (typeof result === 'string') return failure('InvalidParameterValue', result);
  return success({
    Vpcs: result.map((v) => ({
      CidrBlock: v.vpcCidr,
      DhcpOptionsId: 'dopt-0a1b2c3d4e5f60718',
      State: 'available',
      VpcId: v.vpcId,
      OwnerId: ACCOUNT_ID,
      InstanceTenancy: 'default',
      IsDefault: false,
      Tags: tags,
    })),
  });
}

/**
 * The lab's instances: the work EC2 (the lab template's; its type is not in the seed, t3.medium
 * is assumed) and the node group's nodes, tagged as EKS managed node groups tag them.
 */
function describeInstances(input: OperationInput, inv: ToolInvocation): AwsOutcome {
  const network = inv.ctx.domains.network;
  const view = networkView(inv.ctx);
  const groups = inv.ctx.domains.nodegroups.all;
  const instances = network
    .hosts()
    .filter((h) => h.kind !== 'laptop')
    .map((h) => {
      const group = groups.find((g) => g.nodes.some((n) => n.name === h.name));
      const node = group?.nodes.find((n) => n.name === h.name);
      const subnet = h.subnetId ? network.subnet(h.subnetId) : undefined;
      const name = group ? `${group.clusterName}-${group.name}-Node` : h.label;
      const tags: Tag[] = [{ Key: 'Name', Value: name }];
      if (group) {
        tags.push(
          { Key: 'eks:cluster-name', Value: group.clusterName },
          { Key: 'eks:nodegroup-name', Value: group.name },
          { Key: `kubernetes.io/cluster/${group.clusterName}`, Value: 'owned' },
        );
      }
      const running = node?.state !== 'terminated';
      return {
        tags,
        state: running ? 'running' : 'terminated',
        shape: {
          InstanceId: instanceIdOf(inv, h),
          InstanceType: group?.instanceType ?? 't3.medium',
          Placement: { AvailabilityZone: subnet?.az },
          PrivateDnsName: h.privateIp ? `ip-${h.privateIp.replace(/\./g, '-')}.${input.region}.compute.internal` : '',
          PrivateIpAddress: h.privateIp ?? undefined,
          PublicIpAddress: h.publicIp ?? undefined,
          State: running ? { Code: 16, Name: 'running' } : { Code: 48, Name: 'terminated' },
          SubnetId: h.subnetId ?? undefined,
          VpcId: view.vpcId,
          SecurityGroups: h.securityGroupIds.map((id) => ({ GroupName: network.group(id)?.name ?? id, GroupId: id })),
          Tags: tags,
        },
      };
    });
  const ids = input.lists['instance-ids'] ?? [];
  const missing = ids.find((id) => !instances.some((i) => i.shape.InstanceId === id));
  if (missing) return failure('InvalidInstanceID.NotFound', `The instance ID '${missing}' does not exist`);
  const result = filtered(
    instances.filter((i) => ids.length === 0 || ids.includes(i.shape.InstanceId)),
    input.filters,
    (i) => ({
      'instance-id': i.shape.InstanceId,
      'instance-state-name': i.state,
      'instance-type': i.shape.InstanceType,
      'subnet-id': i.shape.SubnetId,
      'vpc-id': view.vpcId,
      'private-ip-address': i.shape.PrivateIpAddress,
      'availability-zone': i.shape.Placement.AvailabilityZone,
    }),
    (i) => i.tags,
  );
  if (typeof result === 'string') return failure('InvalidParameterValue', result);
  // One reservation per launch: the work EC2 alone, each node on its own (launched by the ASG).
  return success({
    Reservations: result.map((i) => ({ OwnerId: ACCOUNT_ID, Instances: [i.shape] })),
  });
}

/** `--protocol tcp --port 443 --source-group sg-… | --cidr …`, or one `--ip-permissions` entry. */
function changeIngress(input: OperationInput, inv: ToolInvocation, type: 'sg.add-rule' | 'sg.remove-rule'): AwsOutcome {
  const group = input.strings['group-id'] ?? input.strings['group-name'];
  if (!group) return failure('MissingParameter', 'The request must contain the parameter groupName or groupId');
  const permissions = input.structures['ip-permissions'];
  let protocol = input.strings.protocol;
  let port = input.strings.port;
  let source = input.strings['source-group'] ?? input.strings.cidr;
  if (permissions) {
    protocol = String(permissions.IpProtocol ?? protocol ?? 'tcp');
    const from = permissions.FromPort;
    const to = permissions.ToPort ?? from;
    if (from !== undefined) port = from === to ? String(from) : `${from}-${to}`;
    const pairs = permissions.UserIdGroupPairs as unknown;
    const ranges = permissions.IpRanges as unknown;
    const first = (v: unknown) => (Array.isArray(v) ? v[0] : v) as Record<string, unknown> | string | undefined;
    const pair = first(pairs);
    const range = first(ranges);
    const pick = (v: Record<string, unknown> | string | undefined, key: string) =>
      typeof v === 'string' ? v.replace(new RegExp(`^${key}=`), '') : (v?.[key] as string | undefined);
    source = pick(pair, 'GroupId') ?? pick(range, 'CidrIp') ?? source;
  }
  if (!protocol)
    return failure(
      'MissingParameter',
      'The request must contain the parameter ipPermissions (give --protocol, --port and --cidr or --source-group)',
    );
  if (!source) return failure('MissingParameter', 'The request must contain a source: --cidr or --source-group');
  const all = protocol === '-1' || protocol === 'all';
  const range = /^(-?\d+)(?:-(\d+))?$/.exec(port ?? '');
  if (!all && !range)
    return failure(
      'InvalidParameterValue',
      `Invalid value for portRange. Must specify both from and to ports with TCP/UDP (got --port ${port ?? '(none)'})`,
    );
  const fromPort = range ? Number(range[1]) : undefined;
  const toPort = range ? Number(range[2] ?? range[1]) : undefined;
  const result = applyAsShell(inv, type, {
    group,
    direction: 'ingress',
    protocol: all ? '-1' : protocol,
    fromPort: all ? undefined : fromPort,
    toPort: all ? undefined : toPort,
    source,
  });
  if (!result.ok) return failure(result.code, result.error);
  const data = (result.data ?? {}) as { groupId?: string; rule?: SgRule };
  if (type === 'sg.remove-rule') return success({ Return: true });
  const rule = data.rule;
  const rng = inv.ctx.rng(`sgr-${inv.ctx.clock.now()}-${data.groupId ?? group}`);
  const ruleId = `sgr-0${Array.from({ length: 16 }, () => '0123456789abcdef'[rng.int(0, 15)]).join('')}`;
  return success({
    Return: true,
    SecurityGroupRules: [
      {
        SecurityGroupRuleId: ruleId,
        GroupId: data.groupId ?? group,
        GroupOwnerId: ACCOUNT_ID,
        IsEgress: false,
        IpProtocol: rule?.protocol ?? protocol,
        FromPort: rule?.fromPort ?? fromPort ?? -1,
        ToPort: rule?.toPort ?? toPort ?? -1,
        ...(rule?.groupId
          ? { ReferencedGroupInfo: { GroupId: rule.groupId, UserId: ACCOUNT_ID } }
          : { CidrIpv4: rule?.cidr ?? source }),
      },
    ],
  });
}

const ingressParams = {
  'group-id': { kind: 'string' },
  'group-name': { kind: 'string' },
  protocol: { kind: 'string' },
  port: { kind: 'string' },
  cidr: { kind: 'string' },
  'source-group': { kind: 'string' },
  'ip-permissions': { kind: 'structure' },
} as const;

export const ec2Service: Service = {
  'describe-security-groups': {
    api: 'DescribeSecurityGroups',
    params: { 'group-ids': { kind: 'list' }, 'group-names': { kind: 'list' }, filters: { kind: 'filters' } },
    run: describeSecurityGroups,
  },
  'describe-instances': {
    api: 'DescribeInstances',
    params: { 'instance-ids': { kind: 'list' }, filters: { kind: 'filters' } },
    run: describeInstances,
  },
  'describe-subnets': {
    api: 'DescribeSubnets',
    params: { 'subnet-ids': { kind: 'list' }, filters: { kind: 'filters' } },
    run: describeSubnets,
  },
  'describe-vpcs': {
    api: 'DescribeVpcs',
    params: { 'vpc-ids': { kind: 'list' }, filters: { kind: 'filters' } },
    run: describeVpcs,
  },
  'describe-network-interfaces': {
    api: 'DescribeNetworkInterfaces',
    params: { 'network-interface-ids': { kind: 'list' }, filters: { kind: 'filters' } },
    run: describeNetworkInterfaces,
  },
  'authorize-security-group-ingress': {
    api: 'AuthorizeSecurityGroupIngress',
    params: ingressParams,
    run: (input, inv) => changeIngress(input, inv, 'sg.add-rule'),
  },
  'revoke-security-group-ingress': {
    api: 'RevokeSecurityGroupIngress',
    params: ingressParams,
    run: (input, inv) => changeIngress(input, inv, 'sg.remove-rule'),
  },
};
