import { endpointId } from '../../cluster/endpoint-name';
import type { ClusterRecord, ClusterUpdate } from '../../cluster/types';
import { hashName } from '../../engine/prng';
import type { NodegroupRecord } from '../../nodegroups/types';
import type { AnswerModel } from '../model';

/**
 * The JSON shapes of the EKS API (AWS "Amazon EKS API Reference", Data Types `Cluster` and
 * `Update`), as they travel on the wire: timestamps in epoch seconds. The AWS CLI prints them
 * as ISO dates (the shell's `aws` does that formatting); the server sends them as they are.
 */

const seconds = (ms: number): number => ms / 1000;

/**
 * A certificate bundle shaped as EKS's (base64 of a PEM block). The simulator has no keys yet;
 * it is the same for every cluster, as it was in the shell.
 */
const CA_DATA =
  'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMvakNDQWVhZ0F3SUJBZ0lCQURBTkJna3Foa2lHOXcwQkFRc0ZBREFWTVJNd0VRWURWUVFERXdwcmRXSmwKY201bGRHVnpNQjRYRFRJME1ETXhNREE1TURBd01Gb1hEVE0wTURNd09EQTVNREF3TUZvd0ZURVRNQkVHQTFVRQpBeE1LYTNWaVpYSnVaWFJsY3pDQ0FTSXdEUVlKS29aSWh2Y05BUUVCQlFBRGdnRVBBRENDQVFvQ2dnRUJBTGJ6Ci0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K';

/**
 * The service CIDR EKS picks when CreateCluster gives none: "either the 10.100.0.0/16 or
 * 172.20.0.0/16" — 172.20.0.0/16 when the VPC is in 10.0.0.0/8, so the two cannot overlap
 * (https://docs.aws.amazon.com/eks/latest/APIReference/API_KubernetesNetworkConfigRequest.html).
 */
export const serviceIpv4Cidr = (vpcCidr: string): string =>
  vpcCidr.startsWith('10.') ? '172.20.0.0/16' : '10.100.0.0/16';

/**
 * `Cluster` as DescribeCluster, CreateCluster and DeleteCluster return it. While CREATING EKS
 * has no endpoint and an empty `certificateAuthority` yet: the AWS CLI reference's
 * create-cluster example output shows `"status": "CREATING"` with `"certificateAuthority": {}`
 * and no `endpoint` (https://docs.aws.amazon.com/cli/latest/reference/eks/create-cluster.html).
 * `health` is on every cluster since the API added it (`ClusterHealth`, empty issues when healthy).
 */
export function clusterShape(model: AnswerModel, cluster: ClusterRecord) {
  const vpc = cluster.resourcesVpcConfig;
  const creating = cluster.status === 'CREATING';
  return {
    name: cluster.name,
    arn: cluster.arn,
    createdAt: seconds(cluster.createdAtMs),
    version: cluster.version,
    ...(creating ? {} : { endpoint: cluster.endpoint }),
    roleArn: cluster.roleArn,
    resourcesVpcConfig: {
      subnetIds: [...vpc.subnetIds],
      securityGroupIds: [...vpc.securityGroupIds],
      clusterSecurityGroupId: vpc.clusterSecurityGroupId,
      vpcId: vpc.vpcId,
      endpointPublicAccess: vpc.endpointPublicAccess,
      endpointPrivateAccess: vpc.endpointPrivateAccess,
      publicAccessCidrs: [...vpc.publicAccessCidrs],
    },
    kubernetesNetworkConfig: { serviceIpv4Cidr: serviceIpv4Cidr(model.network.vpcCidr), ipFamily: 'ipv4' },
    logging: {
      clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false }],
    },
    identity: {
      oidc: { issuer: `https://oidc.eks.${model.cluster.region}.amazonaws.com/id/${endpointId(cluster.endpoint)}` },
    },
    status: cluster.status,
    certificateAuthority: creating ? {} : { data: CA_DATA },
    platformVersion: cluster.platformVersion,
    tags: { ...cluster.tags },
    health: { issues: [] },
    upgradePolicy: { supportType: cluster.upgradePolicy.supportType },
  };
}

export type ClusterShape = ReturnType<typeof clusterShape>;

/** `Update` as UpdateClusterConfig, UpdateClusterVersion and DescribeUpdate return it (`ErrorDetail` with `resourceIds`). */
export function updateShape(update: ClusterUpdate) {
  return {
    id: update.id,
    status: update.status,
    type: update.type,
    params: update.params.map((p) => ({ type: p.type, value: p.value })),
    createdAt: seconds(update.createdAtMs),
    errors: update.errors.map((e) => ({ errorCode: e.errorCode, errorMessage: e.errorMessage, resourceIds: [] })),
  };
}

export type UpdateShape = ReturnType<typeof updateShape>;

/**
 * The suffix EKS gives a node group's ARN and its Auto Scaling group: a UUID in the real
 * service, derived here from the cluster, the group and its creation time so that one run
 * always prints the same one.
 */
function nodegroupUuid(group: NodegroupRecord): string {
  const hex = [group.clusterName, group.name, String(group.createdAtMs), `${group.name}/asg`]
    .map((part) => hashName(part).toString(16).padStart(8, '0'))
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * `Nodegroup` as DescribeNodegroup returns it (EKS API Reference, Data Types `Nodegroup`), with
 * the fields the model holds: no AMI release version, labels or launch template, which the
 * simulator does not model.
 */
export function nodegroupShape(cluster: ClusterRecord, group: NodegroupRecord) {
  const uuid = nodegroupUuid(group);
  return {
    nodegroupName: group.name,
    nodegroupArn: `${cluster.arn.replace(/:cluster\/.*$/, '')}:nodegroup/${group.clusterName}/${group.name}/${uuid}`,
    clusterName: group.clusterName,
    version: group.version,
    createdAt: seconds(group.createdAtMs),
    modifiedAt: seconds(group.createdAtMs),
    status: group.status,
    capacityType: 'ON_DEMAND',
    scalingConfig: { ...group.scaling },
    instanceTypes: [group.instanceType],
    subnets: [...group.subnetIds],
    nodeRole: group.nodeRoleArn,
    resources: { autoScalingGroups: [{ name: `eks-${group.name}-${uuid}` }] },
    health: { issues: (group.health?.issues ?? []).map((i) => ({ ...i, resourceIds: [...i.resourceIds] })) },
    updateConfig: { maxUnavailable: group.maxUnavailable },
    tags: {},
  };
}

export type NodegroupShape = ReturnType<typeof nodegroupShape>;
