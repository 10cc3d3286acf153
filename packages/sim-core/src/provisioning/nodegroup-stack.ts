import { isoDate } from '../engine/duration';
import type { ScenarioNodeGroup } from '../input/scenario';
import type { StackRecord } from './cloudformation';
import { CFN_SUFFIX_LENGTH, EXTERNAL_DNS_POLICIES, nodeRoleManagedPolicies, RESOURCE_TYPES } from './facts';
import type { ClusterPlan, NodeGroupPlan } from './plan';
import type { StackWork } from './stack-work';

export function createNodegroupStack(
  w: StackWork,
  plan: Pick<ClusterPlan, 'name' | 'version' | 'withOIDC'>,
  ng: NodeGroupPlan,
  done: () => void,
): StackRecord {
  const stack = w.cfn.create(
    'nodegroup',
    plan.name,
    ng.name,
    ng.managed
      ? `EKS Managed Nodes (SSH access: ${ng.ssh.allow}) [created by eksctl]`
      : `EKS nodes (AMI family: ${ng.amiFamily}, SSH access: ${ng.ssh.allow}, private networking: ${ng.privateNetworking}) [created and managed by eksctl]`,
  );
  const inline = ng.externalDNS ? EXTERNAL_DNS_POLICIES : [];
  const simulatedDate = isoDate(w.ctx.clock.now());
  const role = w.createRole(
    stack,
    'NodeInstanceRole',
    'ec2.amazonaws.com',
    nodeRoleManagedPolicies(simulatedDate, plan.withOIDC),
  );
  let roleReady = false;
  let templateReady = false;
  let policiesLeft = inline.length;
  let groupDone = false;
  const maybeFinish = () => {
    if (groupDone && policiesLeft === 0 && w.cfn.statusOf(stack) === 'CREATE_IN_PROGRESS') {
      w.ctx.clock.after(1000, () => {
        w.cfn.finish(stack);
        done();
      });
    }
  };
  const startGroup = () => {
    if (!roleReady || !templateReady) return;
    const logicalId = ng.managed ? 'ManagedNodeGroup' : 'NodeGroup';
    w.cfn.startResource(stack, logicalId);
    const spec: ScenarioNodeGroup = {
      name: ng.name,
      instanceType: ng.instanceType,
      desiredCapacity: ng.desiredCapacity,
      minSize: ng.minSize,
      maxSize: ng.maxSize,
      volumeSize: ng.volumeSize,
      subnets: ng.privateNetworking ? 'private' : 'public',
      sshAccess: ng.ssh.allow,
      externalDnsAccess: ng.externalDNS,
      ...(ng.version !== plan.version ? { version: ng.version } : {}),
    };
    // CloudFormation's AWS::EKS::Nodegroup completes when the group is ACTIVE; the stack times it.
    const groupMs = w.draw.seconds(RESOURCE_TYPES[logicalId] as string) * 1000;
    const created = w.ports.nodegroups.create(spec, { createMs: groupMs, subnetIds: ng.subnetIds });
    if (typeof created === 'string') {
      w.failStack(stack, logicalId, created);
      done();
      return;
    }
    created.nodeRoleArn = role.Arn;
    const finishWhenActive = () => {
      const record = w.ports.nodegroups.find(ng.name);
      if (record && record.status !== 'ACTIVE' && record.status !== 'DEGRADED') {
        if (record.status === 'CREATE_FAILED') {
          // CloudFormation passes on EKS's health issues, as its AWS::EKS::Nodegroup handler does.
          const issues = (record.health?.issues ?? []).map(
            (i) => `Issue(Code=${i.code}, Message=${i.message}, ResourceIds=[${i.resourceIds.join(', ')}])`,
          );
          w.failStack(
            stack,
            logicalId,
            `Resource handler returned message: "[${issues.join(', ') || `Nodegroup ${ng.name} failed to stabilize`}]" (HandlerErrorCode: GeneralServiceException)`,
          );
          done();
          return;
        }
        w.ctx.clock.after(10_000, finishWhenActive);
        return;
      }
      w.cfn.completeResource(
        stack,
        logicalId,
        ng.managed ? `${plan.name}/${ng.name}` : `${stack.name}-NodeGroup-${w.draw.suffix(13).toUpperCase()}`,
      );
      groupDone = true;
      maybeFinish();
    };
    w.ctx.clock.after(groupMs, finishWhenActive);
  };

  // The SSH security group (eksctl.io (VPC Networking): `<stack>-remoteAccess`, TCP 22) and the launch template.
  const templateId = ng.managed ? 'LaunchTemplate' : 'NodeGroupLaunchTemplate';
  const sgLogicalId = ng.managed ? (ng.ssh.allow ? 'SSH' : undefined) : 'SG';
  const launchTemplate = () => {
    w.cfn.startResource(stack, templateId);
    w.ctx.clock.after(w.draw.seconds('AWS::EC2::LaunchTemplate') * 1000, () => {
      w.cfn.completeResource(stack, templateId, `lt-0${w.draw.hex(16)}`);
      templateReady = true;
      startGroup();
    });
  };
  if (sgLogicalId) {
    w.cfn.startResource(stack, sgLogicalId);
    w.ctx.clock.after(w.draw.seconds('AWS::EC2::SecurityGroup') * 1000, () => {
      const ids = w.ports.network.addEksctlSecurityGroups({
        clusterName: plan.name,
        nodegroupName: ng.name,
        sshAccess: ng.ssh.allow,
        privateNetworking: ng.privateNetworking,
      });
      w.cfn.completeResource(stack, sgLogicalId, ids[0] ?? `sg-0${w.draw.hex(16)}`);
      launchTemplate();
    });
  } else {
    w.ports.network.addEksctlSecurityGroups({
      clusterName: plan.name,
      nodegroupName: ng.name,
      sshAccess: false,
      privateNetworking: ng.privateNetworking,
    });
    launchTemplate();
  }
  w.ctx.clock.after(w.draw.seconds('AWS::IAM::Role') * 1000, () => {
    w.cfn.completeResource(stack, 'NodeInstanceRole', role.RoleName);
    roleReady = true;
    if (!ng.managed) {
      w.cfn.startResource(stack, 'NodeInstanceProfile');
      w.ctx.clock.after(w.draw.seconds('AWS::IAM::InstanceProfile') * 1000, () =>
        w.cfn.completeResource(
          stack,
          'NodeInstanceProfile',
          `${stack.name}-NodeInstanceProfile-${w.draw.suffix(CFN_SUFFIX_LENGTH)}`,
        ),
      );
    }
    for (const policy of inline) {
      w.cfn.startResource(stack, policy.logicalId);
      w.ctx.clock.after(w.draw.seconds('AWS::IAM::Policy') * 1000, () => {
        const policyName = `${stack.name}-${policy.logicalId}`;
        w.iam.attachInline(role.RoleName, policyName, policy.document);
        w.cfn.completeResource(stack, policy.logicalId, policyName);
        policiesLeft--;
        maybeFinish();
      });
    }
    startGroup();
  });
  return stack;
}
