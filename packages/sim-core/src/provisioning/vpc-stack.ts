import type { StackRecord } from './cloudformation';
import { RESOURCE_TYPES } from './facts';
import type { ClusterPlan } from './plan';
import type { StackWork } from './stack-work';

export function buildVpcResources(w: StackWork, stack: StackRecord, plan: ClusterPlan): void {
  const vpcIds: string[] = ['VPC', 'InternetGateway', 'VPCGatewayAttachment', 'PublicRouteTable', 'PublicSubnetRoute'];
  if (plan.vpc.nat !== 'Disable') vpcIds.push('NATIP', 'NATGateway');
  const azIds = plan.vpc.availabilityZones.map((az) => az.replace(/-/g, '').toUpperCase());
  const extra: Array<[string, string]> = [];
  for (const az of azIds) {
    extra.push([`SubnetPublic${az}`, 'AWS::EC2::Subnet'], [`SubnetPrivate${az}`, 'AWS::EC2::Subnet']);
    extra.push([`RouteTableAssociationPublic${az}`, 'AWS::EC2::SubnetRouteTableAssociation']);
    extra.push(
      [`PrivateRouteTable${az}`, 'AWS::EC2::RouteTable'],
      [`RouteTableAssociationPrivate${az}`, 'AWS::EC2::SubnetRouteTableAssociation'],
    );
  }
  // "The VPC eksctl made" is the scenario's network: CloudFormation reports its real ids.
  const view = w.ports.network.view();
  const known: Record<string, string | undefined> = {
    VPC: view.vpcId,
    InternetGateway: view.internetGatewayId ?? undefined,
    NATGateway: view.natGateways[0]?.id,
  };
  for (const [i, az] of plan.vpc.availabilityZones.entries()) {
    const id = azIds[i] as string;
    known[`SubnetPublic${id}`] = plan.vpc.publicSubnets.find((s) => s.az === az)?.id;
    known[`SubnetPrivate${id}`] = plan.vpc.privateSubnets.find((s) => s.az === az)?.id;
  }
  const all: Array<[string, string]> = [
    ...vpcIds.map((id): [string, string] => [id, RESOURCE_TYPES[id] as string]),
    ...extra,
  ];
  for (const [logicalId, type] of all) {
    w.cfn.startResource(stack, logicalId, type);
    w.ctx.clock.after(w.draw.seconds(type) * 1000, () => {
      const prefix: Record<string, string> = {
        'AWS::EC2::VPC': 'vpc',
        'AWS::EC2::InternetGateway': 'igw',
        'AWS::EC2::RouteTable': 'rtb',
        'AWS::EC2::EIP': 'eipalloc',
        'AWS::EC2::NatGateway': 'nat',
        'AWS::EC2::Subnet': 'subnet',
        'AWS::EC2::SubnetRouteTableAssociation': 'rtbassoc',
      };
      const p = prefix[type];
      w.cfn.completeResource(
        stack,
        logicalId,
        known[logicalId] ??
          (p ? `${p}-0${w.draw.hex(16)}` : `${stack.name}-${logicalId}-${w.draw.suffix(12).toUpperCase()}`),
      );
    });
  }
}
