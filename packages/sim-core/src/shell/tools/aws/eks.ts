import { EKS_ERROR_TEXT, type EksAnswer, type EksApi, eksApi, type VpcConfigRequest } from '../../../answers/index';
import type { ClusterRecord } from '../../../cluster/types';
import type { ToolInvocation } from '../../tool';
import {
  type AwsOutcome,
  asBoolean,
  asList,
  awsTime,
  failure,
  type OperationInput,
  type Service,
  type Structure,
  success,
} from './operation';

/**
 * `aws eks …`: the AWS CLI's printing of the EKS API that the answer layer gives (the same
 * answers the server's AWS API sends); changes go through the simulation's commands.
 */

/**
 * The EKS API of the region the command names: the simulated account's cluster lives in one
 * region; any other is an empty one, where the same answer layer finds no cluster
 * (ResourceNotFoundException) and lists nothing, as a fresh region does.
 */
function api(inv: ToolInvocation, input: OperationInput): EksApi {
  const domains = inv.ctx.domains;
  const here = input.region === domains.cluster.region;
  return eksApi({
    model: here
      ? domains
      : {
          cluster: { cluster: null, region: input.region },
          network: domains.network,
          nodegroups: { all: [], upgrades: [] },
          addons: { all: [] },
        },
    apply: (command) => inv.ctx.apply(command, 'shell'),
    now: () => inv.ctx.clock.now(),
  });
}

/** Fields the EKS API sends as epoch seconds and the AWS CLI prints as ISO 8601 dates. */
const TIMESTAMP_FIELDS = new Set(['createdAt', 'modifiedAt']);

function cliTimestamps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cliTimestamps);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      TIMESTAMP_FIELDS.has(key) && typeof field === 'number' ? awsTime(field * 1000) : cliTimestamps(field),
    ]),
  );
}

/** An answer as the AWS CLI prints it: the document (timestamps as dates), or its error line. */
const printed = <T>(answer: EksAnswer<T>): AwsOutcome =>
  answer.ok ? success(cliTimestamps(answer.body)) : failure(answer.error.code, answer.error.message);

function theCluster(inv: ToolInvocation, name: string, region: string): ClusterRecord | undefined {
  const cluster = inv.ctx.domains.cluster.cluster;
  return cluster && cluster.name === name && region === inv.ctx.domains.cluster.region ? cluster : undefined;
}

const VPC_CONFIG_KEYS = [
  'subnetIds',
  'securityGroupIds',
  'endpointPublicAccess',
  'endpointPrivateAccess',
  'publicAccessCidrs',
] as const;

/**
 * `--resources-vpc-config` shorthand or JSON as the API's VpcConfigRequest; a string is the
 * AWS CLI's own parameter validation error (it checks keys against the API model before sending).
 */
function vpcConfigRequest(vpc: Structure): VpcConfigRequest | string {
  const unknown = Object.keys(vpc).find((key) => !(VPC_CONFIG_KEYS as readonly string[]).includes(key));
  if (unknown !== undefined) {
    return `Unknown parameter in resourcesVpcConfig: "${unknown}", must be one of: ${VPC_CONFIG_KEYS.join(', ')}`;
  }
  for (const key of ['endpointPublicAccess', 'endpointPrivateAccess'] as const) {
    if (vpc[key] !== undefined && asBoolean(vpc[key]) === undefined) {
      return `${key} must be true or false (got ${String(vpc[key])})`;
    }
  }
  const lists = (key: string) => (vpc[key] === undefined ? undefined : asList(vpc[key]));
  return {
    subnetIds: lists('subnetIds'),
    securityGroupIds: lists('securityGroupIds'),
    endpointPublicAccess: asBoolean(vpc.endpointPublicAccess),
    endpointPrivateAccess: asBoolean(vpc.endpointPrivateAccess),
    publicAccessCidrs: lists('publicAccessCidrs'),
  };
}

/** `--tags k=v,k2=v2` (shorthand or JSON) as the API's string map. */
const tagsOf = (input: OperationInput): Record<string, string> | undefined => {
  const tags = input.structures.tags;
  return tags ? Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, String(value)])) : undefined;
};

const integer = (value: unknown): number | undefined =>
  value === undefined || value === '' || Number.isNaN(Number(value)) ? undefined : Number(value);

const createCluster = (input: OperationInput, inv: ToolInvocation): AwsOutcome => {
  if (input.region !== inv.ctx.domains.cluster.region) {
    return failure(
      'InvalidRequestException',
      `eks-sim simulates one region, ${inv.ctx.domains.cluster.region}; create the cluster there`,
    );
  }
  const vpc = vpcConfigRequest(input.structures['resources-vpc-config'] ?? {});
  if (typeof vpc === 'string') return failure('InvalidParameterException', vpc);
  return printed(
    api(inv, input).createCluster({
      name: input.strings.name as string,
      version: input.strings['kubernetes-version'],
      roleArn: input.strings['role-arn'],
      resourcesVpcConfig: vpc,
      tags: tagsOf(input),
    }),
  );
};

const WAITER_DELAY_MS = 30_000;
const WAITER_MAX_ATTEMPTS = 40;

/** Polls like an AWS CLI waiter; a waiter that fails exits 255 with the CLI's message. */
function waitFor(
  inv: ToolInvocation,
  input: OperationInput,
  name: string,
  waiter: string,
  check: (cluster: ClusterRecord | undefined) => 'done' | 'retry' | 'failed',
): AwsOutcome {
  for (let attempt = 1; attempt <= WAITER_MAX_ATTEMPTS; attempt++) {
    const state = check(theCluster(inv, name, input.region));
    if (state === 'done') return success(undefined);
    if (state === 'failed') {
      const why = theCluster(inv, name, input.region)
        ? 'Waiter encountered a terminal failure state'
        : `An error occurred (ResourceNotFoundException): ${EKS_ERROR_TEXT.clusterNotFound(name)}`;
      return failure('WaiterError', `Waiter ${waiter} failed: ${why}`);
    }
    inv.wait(WAITER_DELAY_MS);
  }
  return failure('WaiterError', `Waiter ${waiter} failed: Max attempts exceeded`);
}

/** The node-group waiters: ACTIVE (CREATE_FAILED ends it), or gone. */
function waitForNodegroup(
  inv: ToolInvocation,
  input: OperationInput,
  waiter: 'NodegroupActive' | 'NodegroupDeleted',
  attempts: number,
): AwsOutcome {
  const clusterName = input.strings['cluster-name'] as string;
  const nodegroupName = input.strings['nodegroup-name'] as string;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const described = api(inv, input).describeNodegroup(clusterName, nodegroupName);
    const status = described.ok ? described.body.nodegroup.status : undefined;
    if (waiter === 'NodegroupDeleted' && !described.ok && described.error.code === 'ResourceNotFoundException') {
      return success(undefined);
    }
    if (waiter === 'NodegroupActive' && status === 'ACTIVE') return success(undefined);
    if (!described.ok && waiter === 'NodegroupActive') {
      return failure(
        'WaiterError',
        `Waiter ${waiter} failed: An error occurred (${described.error.code}): ${described.error.message}`,
      );
    }
    if (status === 'CREATE_FAILED') {
      return failure('WaiterError', `Waiter ${waiter} failed: Waiter encountered a terminal failure state`);
    }
    inv.wait(WAITER_DELAY_MS);
  }
  return failure('WaiterError', `Waiter ${waiter} failed: Max attempts exceeded`);
}

export const eksService: Service = {
  'create-cluster': {
    api: 'CreateCluster',
    params: {
      name: { kind: 'string', required: true },
      'role-arn': { kind: 'string', required: true },
      'resources-vpc-config': { kind: 'structure', required: true },
      'kubernetes-version': { kind: 'string' },
      tags: { kind: 'structure' },
    },
    run: createCluster,
  },
  'describe-cluster': {
    api: 'DescribeCluster',
    params: { name: { kind: 'string', required: true } },
    run: (input, inv) => printed(api(inv, input).describeCluster(input.strings.name as string)),
  },
  'list-clusters': {
    api: 'ListClusters',
    params: { 'max-results': { kind: 'integer' } },
    run: (input, inv) => printed(api(inv, input).listClusters()),
  },
  'update-cluster-config': {
    api: 'UpdateClusterConfig',
    params: { name: { kind: 'string', required: true }, 'resources-vpc-config': { kind: 'structure' } },
    run: (input, inv) => {
      const structure = input.structures['resources-vpc-config'];
      const vpc = structure === undefined ? undefined : vpcConfigRequest(structure);
      if (typeof vpc === 'string') return failure('InvalidParameterException', vpc);
      return printed(api(inv, input).updateClusterConfig(input.strings.name as string, { resourcesVpcConfig: vpc }));
    },
  },
  'update-cluster-version': {
    api: 'UpdateClusterVersion',
    params: { name: { kind: 'string', required: true }, 'kubernetes-version': { kind: 'string', required: true } },
    run: (input, inv) =>
      printed(
        api(inv, input).updateClusterVersion(
          input.strings.name as string,
          input.strings['kubernetes-version'] as string,
        ),
      ),
  },
  'describe-update': {
    api: 'DescribeUpdate',
    params: {
      name: { kind: 'string', required: true },
      'update-id': { kind: 'string', required: true },
      'nodegroup-name': { kind: 'string' },
      'addon-name': { kind: 'string' },
    },
    run: (input, inv) =>
      printed(
        api(inv, input).describeUpdate(input.strings.name as string, input.strings['update-id'] as string, {
          nodegroupName: input.strings['nodegroup-name'],
          addonName: input.strings['addon-name'],
        }),
      ),
  },
  'list-updates': {
    api: 'ListUpdates',
    params: {
      name: { kind: 'string', required: true },
      'nodegroup-name': { kind: 'string' },
      'addon-name': { kind: 'string' },
    },
    run: (input, inv) =>
      printed(
        api(inv, input).listUpdates(input.strings.name as string, {
          nodegroupName: input.strings['nodegroup-name'],
          addonName: input.strings['addon-name'],
        }),
      ),
  },
  'create-nodegroup': {
    api: 'CreateNodegroup',
    params: {
      'cluster-name': { kind: 'string', required: true },
      'nodegroup-name': { kind: 'string', required: true },
      subnets: { kind: 'list', required: true },
      'node-role': { kind: 'string', required: true },
      'scaling-config': { kind: 'structure' },
      'instance-types': { kind: 'list' },
      'disk-size': { kind: 'integer' },
      'kubernetes-version': { kind: 'string' },
      tags: { kind: 'structure' },
    },
    run: (input, inv) => {
      const scaling = input.structures['scaling-config'] ?? {};
      return printed(
        api(inv, input).createNodegroup(input.strings['cluster-name'] as string, {
          nodegroupName: input.strings['nodegroup-name'] as string,
          subnets: input.lists.subnets ?? [],
          nodeRole: input.strings['node-role'],
          scalingConfig: {
            minSize: integer(scaling.minSize),
            maxSize: integer(scaling.maxSize),
            desiredSize: integer(scaling.desiredSize),
          },
          instanceTypes: input.lists['instance-types'],
          diskSize: integer(input.strings['disk-size']),
          version: input.strings['kubernetes-version'],
          tags: tagsOf(input),
        }),
      );
    },
  },
  'delete-nodegroup': {
    api: 'DeleteNodegroup',
    params: {
      'cluster-name': { kind: 'string', required: true },
      'nodegroup-name': { kind: 'string', required: true },
    },
    run: (input, inv) =>
      printed(
        api(inv, input).deleteNodegroup(
          input.strings['cluster-name'] as string,
          input.strings['nodegroup-name'] as string,
        ),
      ),
  },
  'update-nodegroup-version': {
    api: 'UpdateNodegroupVersion',
    params: {
      'cluster-name': { kind: 'string', required: true },
      'nodegroup-name': { kind: 'string', required: true },
      'kubernetes-version': { kind: 'string' },
    },
    run: (input, inv) =>
      printed(
        api(inv, input).updateNodegroupVersion(
          input.strings['cluster-name'] as string,
          input.strings['nodegroup-name'] as string,
          input.strings['kubernetes-version'],
        ),
      ),
  },
  'list-addons': {
    api: 'ListAddons',
    params: { 'cluster-name': { kind: 'string', required: true } },
    run: (input, inv) => printed(api(inv, input).listAddons(input.strings['cluster-name'] as string)),
  },
  'describe-addon': {
    api: 'DescribeAddon',
    params: { 'cluster-name': { kind: 'string', required: true }, 'addon-name': { kind: 'string', required: true } },
    run: (input, inv) =>
      printed(
        api(inv, input).describeAddon(input.strings['cluster-name'] as string, input.strings['addon-name'] as string),
      ),
  },
  'create-addon': {
    api: 'CreateAddon',
    params: {
      'cluster-name': { kind: 'string', required: true },
      'addon-name': { kind: 'string', required: true },
      'addon-version': { kind: 'string' },
      'service-account-role-arn': { kind: 'string' },
      tags: { kind: 'structure' },
    },
    run: (input, inv) =>
      printed(
        api(inv, input).createAddon(input.strings['cluster-name'] as string, {
          addonName: input.strings['addon-name'] as string,
          addonVersion: input.strings['addon-version'],
          serviceAccountRoleArn: input.strings['service-account-role-arn'],
          tags: tagsOf(input),
        }),
      ),
  },
  'delete-addon': {
    api: 'DeleteAddon',
    params: { 'cluster-name': { kind: 'string', required: true }, 'addon-name': { kind: 'string', required: true } },
    run: (input, inv) =>
      printed(
        api(inv, input).deleteAddon(input.strings['cluster-name'] as string, input.strings['addon-name'] as string),
      ),
  },
  'describe-addon-versions': {
    api: 'DescribeAddonVersions',
    params: { 'addon-name': { kind: 'string' }, 'kubernetes-version': { kind: 'string' } },
    run: (input, inv) =>
      printed(
        api(inv, input).describeAddonVersions({
          addonName: input.strings['addon-name'],
          kubernetesVersion: input.strings['kubernetes-version'],
        }),
      ),
  },
  'tag-resource': {
    api: 'TagResource',
    params: { 'resource-arn': { kind: 'string', required: true }, tags: { kind: 'structure', required: true } },
    run: (input, inv) =>
      printed(api(inv, input).tagResource(input.strings['resource-arn'] as string, tagsOf(input) ?? {})),
  },
  'untag-resource': {
    api: 'UntagResource',
    params: { 'resource-arn': { kind: 'string', required: true }, 'tag-keys': { kind: 'list', required: true } },
    run: (input, inv) =>
      printed(api(inv, input).untagResource(input.strings['resource-arn'] as string, input.lists['tag-keys'] ?? [])),
  },
  'list-tags-for-resource': {
    api: 'ListTagsForResource',
    params: { 'resource-arn': { kind: 'string', required: true } },
    run: (input, inv) => printed(api(inv, input).listTagsForResource(input.strings['resource-arn'] as string)),
  },
  'list-nodegroups': {
    api: 'ListNodegroups',
    params: { 'cluster-name': { kind: 'string', required: true }, 'max-results': { kind: 'integer' } },
    run: (input, inv) => printed(api(inv, input).listNodegroups(input.strings['cluster-name'] as string)),
  },
  'describe-nodegroup': {
    api: 'DescribeNodegroup',
    params: {
      'cluster-name': { kind: 'string', required: true },
      'nodegroup-name': { kind: 'string', required: true },
    },
    run: (input, inv) =>
      printed(
        api(inv, input).describeNodegroup(
          input.strings['cluster-name'] as string,
          input.strings['nodegroup-name'] as string,
        ),
      ),
  },
  'delete-cluster': {
    api: 'DeleteCluster',
    params: { name: { kind: 'string', required: true } },
    run: (input, inv) => printed(api(inv, input).deleteCluster(input.strings.name as string)),
  },
  // Waiters as botocore defines them for EKS: poll DescribeCluster every 30 s, 40 attempts.
  'wait cluster-active': {
    api: 'DescribeCluster',
    params: { name: { kind: 'string', required: true } },
    run: (input, inv) =>
      waitFor(inv, input, input.strings.name as string, 'ClusterActive', (c) => {
        if (!c) return 'failed';
        if (c.status === 'ACTIVE') return 'done';
        return c.status === 'DELETING' || c.status === 'FAILED' ? 'failed' : 'retry';
      }),
  },
  'wait cluster-deleted': {
    api: 'DescribeCluster',
    params: { name: { kind: 'string', required: true } },
    run: (input, inv) =>
      waitFor(inv, input, input.strings.name as string, 'ClusterDeleted', (c) => {
        if (!c) return 'done';
        return c.status === 'ACTIVE' || c.status === 'CREATING' ? 'failed' : 'retry';
      }),
  },
  // botocore's node-group waiters: DescribeNodegroup every 30 s, 80 (active) or 40 (deleted) attempts.
  'wait nodegroup-active': {
    api: 'DescribeNodegroup',
    params: {
      'cluster-name': { kind: 'string', required: true },
      'nodegroup-name': { kind: 'string', required: true },
    },
    run: (input, inv) => waitForNodegroup(inv, input, 'NodegroupActive', 80),
  },
  'wait nodegroup-deleted': {
    api: 'DescribeNodegroup',
    params: {
      'cluster-name': { kind: 'string', required: true },
      'nodegroup-name': { kind: 'string', required: true },
    },
    run: (input, inv) => waitForNodegroup(inv, input, 'NodegroupDeleted', 40),
  },
  'update-kubeconfig': {
    api: 'DescribeCluster',
    params: { name: { kind: 'string', required: true }, alias: { kind: 'string' } },
    run: (input, inv) => {
      const name = input.strings.name as string;
      const cluster = theCluster(inv, name, input.region);
      if (!cluster) return failure('ResourceNotFoundException', EKS_ERROR_TEXT.clusterNotFound(name));
      inv.out(`Updated context ${cluster.arn} in /root/.kube/config\n`);
      return success(undefined);
    },
  },
};
