import { ACCOUNT_ID } from '../../../cluster/facts';
import { hashName } from '../../../engine/prng';
import type { ToolInvocation } from '../../tool';
import { networkView } from '../../world';
import { type AwsOutcome, type Filter, failure, type OperationInput, success, wildcard } from './operation';

/**
 * `aws ec2 describe-network-interfaces` over the customer VPC: the cluster's EKS-owned ENIs
 * (Description "Amazon EKS myeks", in the customer's subnets and account, attached to instances
 * of an AWS-owned account: EKS's cross-account ENIs, AWS EKS User Guide, network-reqs.html), and
 * each node's primary ENI. The VPC CNI's secondary ENIs are not modelled.
 */

/** The account that owns the instances behind EKS's cross-account ENIs: AWS's, not the customer's (illustrative). */
const EKS_SERVICE_ACCOUNT = '222233334444';

interface Eni {
  readonly NetworkInterfaceId: string;
  readonly Description: string;
  readonly SubnetId: string;
  readonly AvailabilityZone: string;
  readonly PrivateIpAddress: string;
  readonly Groups: { GroupId: string; GroupName: string }[];
  readonly Attachment: Record<string, unknown>;
  readonly Association?: Record<string, unknown>;
  readonly InterfaceType: 'interface';
  readonly RequesterManaged: boolean;
}

/** A stable ENI id for a node's primary interface, derived from its instance id. */
const primaryEniId = (instanceId: string): string =>
  `eni-0${[1, 2]
    .map((i) => hashName(`${instanceId}/eni${i}`).toString(16).padStart(8, '0'))
    .join('')
    .slice(0, 16)}`;

/** The filter names EC2 documents for DescribeNetworkInterfaces that the simulator can answer. */
const FILTER_FIELDS: Record<string, (eni: Eni, vpcId: string) => string[]> = {
  description: (e) => [e.Description],
  'network-interface-id': (e) => [e.NetworkInterfaceId],
  'subnet-id': (e) => [e.SubnetId],
  'vpc-id': (_e, vpcId) => [vpcId],
  'availability-zone': (e) => [e.AvailabilityZone],
  'private-ip-address': (e) => [e.PrivateIpAddress],
  'addresses.private-ip-address': (e) => [e.PrivateIpAddress],
  'group-id': (e) => e.Groups.map((g) => g.GroupId),
  'group-name': (e) => e.Groups.map((g) => g.GroupName),
  'attachment.instance-id': (e) => [String(e.Attachment.InstanceId ?? '')],
  'attachment.instance-owner-id': (e) => [String(e.Attachment.InstanceOwnerId ?? '')],
  'interface-type': (e) => [e.InterfaceType],
  status: () => ['in-use'],
  'owner-id': () => [ACCOUNT_ID],
  'requester-managed': (e) => [String(e.RequesterManaged)],
};

function matching(enis: Eni[], filters: readonly Filter[], vpcId: string): Eni[] | string {
  let result = enis;
  for (const filter of filters) {
    const field = FILTER_FIELDS[filter.name];
    if (!field) return `The filter '${filter.name}' is invalid`;
    const patterns = filter.values.map(wildcard);
    result = result.filter((eni) => field(eni, vpcId).some((value) => patterns.some((p) => p.test(value))));
  }
  return result;
}

export function describeNetworkInterfaces(input: OperationInput, inv: ToolInvocation): AwsOutcome {
  const view = networkView(inv.ctx);
  const groupName = (id: string) => view.securityGroups.find((g) => g.id === id)?.name ?? id;
  const groups = (ids: readonly string[]) => ids.map((id) => ({ GroupId: id, GroupName: groupName(id) }));
  const eksOwned: Eni[] = view.enis.map((eni) => ({
    NetworkInterfaceId: eni.id,
    Description: eni.description,
    SubnetId: eni.subnetId,
    AvailabilityZone: eni.az,
    PrivateIpAddress: eni.privateIp,
    Groups: groups(eni.securityGroupIds),
    Attachment: { DeviceIndex: 1, InstanceOwnerId: EKS_SERVICE_ACCOUNT, Status: 'attached' },
    InterfaceType: 'interface',
    RequesterManaged: false,
  }));
  const nodes: Eni[] = inv.ctx.domains.nodegroups.all.flatMap((group) =>
    group.nodes
      .filter((node) => node.state !== 'terminated')
      .map((node) => ({
        NetworkInterfaceId: primaryEniId(node.instanceId),
        Description: '',
        SubnetId: node.subnetId,
        AvailabilityZone: node.az,
        PrivateIpAddress: node.privateIp,
        Groups: groups(node.securityGroupIds),
        Attachment: {
          DeleteOnTermination: true,
          DeviceIndex: 0,
          InstanceId: node.instanceId,
          InstanceOwnerId: ACCOUNT_ID,
          Status: 'attached',
        },
        ...(node.publicIp ? { Association: { IpOwnerId: 'amazon', PublicIp: node.publicIp } } : {}),
        InterfaceType: 'interface' as const,
        RequesterManaged: false,
      })),
  );
  const ids = input.lists['network-interface-ids'] ?? [];
  const all = [...eksOwned, ...nodes];
  const missing = ids.find((id) => !all.some((e) => e.NetworkInterfaceId === id));
  if (missing) {
    return failure('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${missing}' does not exist`);
  }
  const chosen = matching(
    all.filter((e) => ids.length === 0 || ids.includes(e.NetworkInterfaceId)),
    input.filters,
    view.vpcId,
  );
  if (typeof chosen === 'string') return failure('InvalidParameterValue', chosen);
  return success({
    NetworkInterfaces: chosen.map((eni) => ({
      ...(eni.Association ? { Association: eni.Association } : {}),
      Attachment: eni.Attachment,
      AvailabilityZone: eni.AvailabilityZone,
      Description: eni.Description,
      Groups: eni.Groups,
      InterfaceType: eni.InterfaceType,
      Ipv6Addresses: [],
      NetworkInterfaceId: eni.NetworkInterfaceId,
      OwnerId: ACCOUNT_ID,
      PrivateIpAddress: eni.PrivateIpAddress,
      PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: eni.PrivateIpAddress }],
      RequesterManaged: eni.RequesterManaged,
      SourceDestCheck: true,
      Status: 'in-use',
      SubnetId: eni.SubnetId,
      TagSet: [],
      VpcId: view.vpcId,
    })),
  });
}
