import type { AddonRecord } from '../../addons/addons-domain';
import { endpointId } from '../../cluster/endpoint-name';
import type { ClusterRecord, ClusterUpdate } from '../../cluster/types';
import { hashName } from '../../engine/prng';
import type { NodegroupRecord, NodegroupUpgradeView } from '../../nodegroups/types';
import { type AddonName, addonBuildsOn, EKS_ADDONS } from '../../versions/addon-versions';
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
 * A UUID as EKS gives a node group's or an add-on's ARN, its Auto Scaling group and a node
 * group's update: random in the real service, derived here from what names the thing and when
 * it was made, so that one run always prints the same one.
 */
function derivedUuid(parts: readonly string[]): string {
  const hex = parts.map((part) => hashName(part).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const nodegroupUuid = (group: NodegroupRecord): string =>
  derivedUuid([group.clusterName, group.name, String(group.createdAtMs), `${group.name}/asg`]);

/** The ARN prefix of the cluster's account and region: `arn:aws:eks:ap-northeast-2:111122223333`. */
const arnPrefix = (cluster: ClusterRecord): string => cluster.arn.replace(/:cluster\/.*$/, '');

export const nodegroupArn = (cluster: ClusterRecord, group: NodegroupRecord): string =>
  `${arnPrefix(cluster)}:nodegroup/${group.clusterName}/${group.name}/${nodegroupUuid(group)}`;

export const addonArn = (cluster: ClusterRecord, addon: AddonRecord): string =>
  `${arnPrefix(cluster)}:addon/${addon.clusterName}/${addon.name}/${derivedUuid([addon.clusterName, addon.name, String(addon.createdAtMs), 'addon'])}`;

/**
 * `Nodegroup` as DescribeNodegroup returns it (EKS API Reference, Data Types `Nodegroup`), with
 * the fields the model holds: no AMI release version, labels or launch template, which the
 * simulator does not model.
 */
export function nodegroupShape(cluster: ClusterRecord, group: NodegroupRecord) {
  const uuid = nodegroupUuid(group);
  return {
    nodegroupName: group.name,
    nodegroupArn: nodegroupArn(cluster, group),
    clusterName: group.clusterName,
    version: group.version,
    createdAt: seconds(group.createdAtMs),
    modifiedAt: seconds(group.createdAtMs),
    status: group.status,
    capacityType: 'ON_DEMAND',
    scalingConfig: { ...group.scaling },
    instanceTypes: [group.instanceType],
    subnets: [...group.subnetIds],
    amiType: 'AL2_x86_64',
    diskSize: group.volumeSizeGiB,
    nodeRole: group.nodeRoleArn,
    resources: { autoScalingGroups: [{ name: `eks-${group.name}-${uuid}` }] },
    health: { issues: (group.health?.issues ?? []).map((i) => ({ ...i, resourceIds: [...i.resourceIds] })) },
    updateConfig: { maxUnavailable: group.maxUnavailable },
    tags: { ...group.tags },
  };
}

export type NodegroupShape = ReturnType<typeof nodegroupShape>;

/**
 * A node group's UpdateNodegroupVersion as `Update` (DescribeUpdate with `nodegroupName`,
 * ListUpdates): InProgress until every node runs the new kubelet, then Successful.
 */
export function nodegroupUpdateShape(group: NodegroupRecord, upgrade: NodegroupUpgradeView) {
  return {
    id: nodegroupUpdateId(group, upgrade),
    status: upgrade.completedAtMs === null ? ('InProgress' as const) : ('Successful' as const),
    type: 'VersionUpdate' as const,
    params: [{ type: 'Version', value: upgrade.toVersion }],
    createdAt: seconds(upgrade.startedAtMs),
    errors: [] as { errorCode: string; errorMessage: string; resourceIds: never[] }[],
  };
}

export const nodegroupUpdateId = (group: NodegroupRecord, upgrade: NodegroupUpgradeView): string =>
  derivedUuid([group.clusterName, group.name, String(upgrade.startedAtMs), upgrade.toVersion]);

/** `Addon` as DescribeAddon, CreateAddon and DeleteAddon return it (EKS API Reference, Data Types `Addon`). */
export function addonShape(cluster: ClusterRecord, addon: AddonRecord) {
  return {
    addonName: addon.name,
    clusterName: addon.clusterName,
    status: addon.status,
    addonVersion: addon.version,
    health: { issues: [] },
    addonArn: addonArn(cluster, addon),
    createdAt: seconds(addon.createdAtMs),
    modifiedAt: seconds(addon.modifiedAtMs),
    ...(addon.serviceAccountRoleArn ? { serviceAccountRoleArn: addon.serviceAccountRoleArn } : {}),
    tags: { ...addon.tags },
  };
}

export type AddonShape = ReturnType<typeof addonShape>;

/**
 * `AddonInfo` as DescribeAddonVersions lists it: the builds EKS offers on `atMs`
 * (versions/addon-versions.ts), newest first, for one Kubernetes version or all.
 */
export function addonInfoShape(name: AddonName, atMs: number, kubernetesVersion?: string) {
  const facts = EKS_ADDONS.find((a) => a.name === name);
  return {
    addonName: name,
    type: facts?.type ?? 'networking',
    addonVersions: addonBuildsOn(name, atMs, kubernetesVersion).map(({ build, defaultFor }) => ({
      addonVersion: build.version,
      architecture: ['amd64', 'arm64'],
      computeTypes: ['ec2'],
      compatibilities: build.kubernetes
        .filter((minor) => kubernetesVersion === undefined || minor === kubernetesVersion)
        .map((minor) => ({
          clusterVersion: minor,
          platformVersions: ['*'],
          defaultVersion: defaultFor.includes(minor),
        })),
      requiresConfiguration: false,
      requiresIamPermissions: facts?.requiresIamPermissions ?? false,
    })),
    publisher: 'eks',
    owner: 'aws',
    defaultNamespace: facts?.defaultNamespace ?? 'kube-system',
  };
}
