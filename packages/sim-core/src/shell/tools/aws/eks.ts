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

function api(inv: ToolInvocation): EksApi {
  return eksApi({
    model: inv.ctx.domains,
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

function theCluster(inv: ToolInvocation, name: string): ClusterRecord | undefined {
  const cluster = inv.ctx.domains.cluster.cluster;
  return cluster && cluster.name === name ? cluster : undefined;
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

const createCluster = (input: OperationInput, inv: ToolInvocation): AwsOutcome => {
  const vpc = vpcConfigRequest(input.structures['resources-vpc-config'] ?? {});
  if (typeof vpc === 'string') return failure('InvalidParameterException', vpc);
  const tags = input.structures.tags;
  return printed(
    api(inv).createCluster({
      name: input.strings.name as string,
      version: input.strings['kubernetes-version'],
      roleArn: input.strings['role-arn'],
      resourcesVpcConfig: vpc,
      tags: tags ? Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, String(value)])) : undefined,
    }),
  );
};

const WAITER_DELAY_MS = 30_000;
const WAITER_MAX_ATTEMPTS = 40;

/** Polls like an AWS CLI waiter; a waiter that fails exits 255 with the CLI's message. */
function waitFor(
  inv: ToolInvocation,
  name: string,
  waiter: string,
  check: (cluster: ClusterRecord | undefined) => 'done' | 'retry' | 'failed',
): AwsOutcome {
  for (let attempt = 1; attempt <= WAITER_MAX_ATTEMPTS; attempt++) {
    const state = check(theCluster(inv, name));
    if (state === 'done') return success(undefined);
    if (state === 'failed') {
      const why = theCluster(inv, name)
        ? 'Waiter encountered a terminal failure state'
        : `An error occurred (ResourceNotFoundException): ${EKS_ERROR_TEXT.clusterNotFound(name)}`;
      return failure('WaiterError', `Waiter ${waiter} failed: ${why}`);
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
    run: (input, inv) => printed(api(inv).describeCluster(input.strings.name as string)),
  },
  'list-clusters': {
    api: 'ListClusters',
    params: { 'max-results': { kind: 'integer' } },
    run: (_input, inv) => printed(api(inv).listClusters()),
  },
  'update-cluster-config': {
    api: 'UpdateClusterConfig',
    params: { name: { kind: 'string', required: true }, 'resources-vpc-config': { kind: 'structure' } },
    run: (input, inv) => {
      const structure = input.structures['resources-vpc-config'];
      const vpc = structure === undefined ? undefined : vpcConfigRequest(structure);
      if (typeof vpc === 'string') return failure('InvalidParameterException', vpc);
      return printed(api(inv).updateClusterConfig(input.strings.name as string, { resourcesVpcConfig: vpc }));
    },
  },
  'update-cluster-version': {
    api: 'UpdateClusterVersion',
    params: { name: { kind: 'string', required: true }, 'kubernetes-version': { kind: 'string', required: true } },
    run: (input, inv) =>
      printed(
        api(inv).updateClusterVersion(input.strings.name as string, input.strings['kubernetes-version'] as string),
      ),
  },
  'describe-update': {
    api: 'DescribeUpdate',
    params: {
      name: { kind: 'string', required: true },
      'update-id': { kind: 'string', required: true },
      'nodegroup-name': { kind: 'string' },
    },
    run: (input, inv) =>
      printed(api(inv).describeUpdate(input.strings.name as string, input.strings['update-id'] as string)),
  },
  'list-updates': {
    api: 'ListUpdates',
    params: { name: { kind: 'string', required: true } },
    run: (input, inv) => printed(api(inv).listUpdates(input.strings.name as string)),
  },
  'list-nodegroups': {
    api: 'ListNodegroups',
    params: { 'cluster-name': { kind: 'string', required: true }, 'max-results': { kind: 'integer' } },
    run: (input, inv) => printed(api(inv).listNodegroups(input.strings['cluster-name'] as string)),
  },
  'describe-nodegroup': {
    api: 'DescribeNodegroup',
    params: {
      'cluster-name': { kind: 'string', required: true },
      'nodegroup-name': { kind: 'string', required: true },
    },
    run: (input, inv) =>
      printed(
        api(inv).describeNodegroup(input.strings['cluster-name'] as string, input.strings['nodegroup-name'] as string),
      ),
  },
  'delete-cluster': {
    api: 'DeleteCluster',
    params: { name: { kind: 'string', required: true } },
    run: (input, inv) => printed(api(inv).deleteCluster(input.strings.name as string)),
  },
  // Waiters as botocore defines them for EKS: poll DescribeCluster every 30 s, 40 attempts.
  'wait cluster-active': {
    api: 'DescribeCluster',
    params: { name: { kind: 'string', required: true } },
    run: (input, inv) =>
      waitFor(inv, input.strings.name as string, 'ClusterActive', (c) => {
        if (!c) return 'failed';
        if (c.status === 'ACTIVE') return 'done';
        return c.status === 'DELETING' || c.status === 'FAILED' ? 'failed' : 'retry';
      }),
  },
  'wait cluster-deleted': {
    api: 'DescribeCluster',
    params: { name: { kind: 'string', required: true } },
    run: (input, inv) =>
      waitFor(inv, input.strings.name as string, 'ClusterDeleted', (c) => {
        if (!c) return 'done';
        return c.status === 'ACTIVE' || c.status === 'CREATING' ? 'failed' : 'retry';
      }),
  },
  'update-kubeconfig': {
    api: 'DescribeCluster',
    params: { name: { kind: 'string', required: true }, alias: { kind: 'string' } },
    run: (input, inv) => {
      const name = input.strings.name as string;
      const cluster = theCluster(inv, name);
      if (!cluster) return failure('ResourceNotFoundException', EKS_ERROR_TEXT.clusterNotFound(name));
      inv.out(`Updated context ${cluster.arn} in /root/.kube/config\n`);
      return success(undefined);
    },
  },
};
