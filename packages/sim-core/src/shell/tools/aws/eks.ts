import type { ClusterRecord, ClusterUpdate } from '../../../cluster/types';
import { versionsOffered } from '../../../versions/calendar';
import type { ToolInvocation } from '../../tool';
import {
  type AwsOutcome,
  asBoolean,
  asList,
  awsTime,
  failure,
  type OperationInput,
  runDomainCommand,
  type Service,
  success,
} from './operation';

/**
 * `aws eks …`: the cluster as DescribeCluster returns it (AWS EKS API reference,
 * `Cluster`), changes through the cluster, endpoint and versions domains' commands.
 */

const notFound = (name: string) => failure('ResourceNotFoundException', `No cluster found for name: ${name}.`);

function theCluster(inv: ToolInvocation, name: string): ClusterRecord | undefined {
  const cluster = inv.ctx.domains.cluster.cluster;
  return cluster && cluster.name === name ? cluster : undefined;
}

/** A stable fake CA bundle: the simulator has no keys, but the field is there as in EKS. */
const CA_DATA =
  'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMvakNDQWVhZ0F3SUJBZ0lCQURBTkJna3Foa2lHOXcwQkFRc0ZBREFWTVJNd0VRWURWUVFERXdwcmRXSmwKY201bGRHVnpNQjRYRFRJME1ETXhNREE1TURBd01Gb1hEVE0wTURNd09EQTVNREF3TUZvd0ZURVRNQkVHQTFVRQpBeE1LYTNWaVpYSnVaWFJsY3pDQ0FTSXdEUVlKS29aSWh2Y05BUUVCQlFBRGdnRVBBRENDQVFvQ2dnRUJBTGJ6Ci0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K';

export function describeClusterShape(cluster: ClusterRecord, region: string): Record<string, unknown> {
  const id = cluster.endpoint.replace(/^https:\/\//, '').split('.')[0] ?? '';
  const vpc = cluster.resourcesVpcConfig;
  const shape: Record<string, unknown> = {
    name: cluster.name,
    arn: cluster.arn,
    createdAt: awsTime(cluster.createdAtMs),
    version: cluster.version,
  };
  // EKS fills the endpoint and CA in only once the control plane exists.
  if (cluster.status !== 'CREATING') shape.endpoint = cluster.endpoint;
  Object.assign(shape, {
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
    // EKS picks 10.100.0.0/16 when the VPC is not in 10.0.0.0/8 (the lab's 192.168.0.0/16).
    kubernetesNetworkConfig: { serviceIpv4Cidr: '10.100.0.0/16', ipFamily: 'ipv4' },
    logging: {
      clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false }],
    },
    identity: { oidc: { issuer: `https://oidc.eks.${region}.amazonaws.com/id/${id}` } },
    status: cluster.status,
  });
  if (cluster.status !== 'CREATING') shape.certificateAuthority = { data: CA_DATA };
  Object.assign(shape, {
    platformVersion: cluster.platformVersion,
    tags: { ...cluster.tags },
    upgradePolicy: { supportType: cluster.upgradePolicy.supportType },
  });
  return shape;
}

function updateShape(update: ClusterUpdate): Record<string, unknown> {
  return {
    id: update.id,
    status: update.status,
    type: update.type,
    params: update.params.map((p) => ({ type: p.type, value: p.value })),
    createdAt: awsTime(update.createdAtMs),
    errors: update.errors.map((e) => ({ ...e })),
  };
}

/** Starts an update through another domain's command and returns the update it recorded. */
function startUpdate(inv: ToolInvocation, name: string, type: string, fields: Record<string, unknown>): AwsOutcome {
  const cluster = theCluster(inv, name);
  if (!cluster) return notFound(name);
  const before = cluster.updates.length;
  const result = runDomainCommand(inv.ctx, type, fields);
  if (!result.ok) {
    const code = /^[A-Z][A-Za-z]+Exception$/.test(result.code) ? result.code : 'InvalidParameterException';
    return failure(code, result.error);
  }
  const update = cluster.updates[before] ?? cluster.updates[cluster.updates.length - 1];
  if (!update) return success({});
  return success({ update: updateShape(update) });
}

const createCluster = (input: OperationInput, inv: ToolInvocation): AwsOutcome => {
  const name = input.strings.name as string;
  const vpc = input.structures['resources-vpc-config'] ?? {};
  const tags = input.structures.tags;
  const publicAccess = asBoolean(vpc.endpointPublicAccess);
  const privateAccess = asBoolean(vpc.endpointPrivateAccess);
  if (publicAccess === false && privateAccess === false) {
    return failure('InvalidParameterException', 'Cluster must have either public or private access enabled.');
  }
  if (asList(vpc.subnetIds).length === 0) {
    return failure('InvalidParameterException', 'Subnets specified must be in at least two different AZs');
  }
  const created = inv.ctx.domains.cluster.create({
    name,
    // Without --kubernetes-version EKS uses its default version: taken as the newest offered that day.
    version: input.strings['kubernetes-version'] ?? versionsOffered(inv.ctx.clock.now()).at(-1) ?? '1.29',
    roleArn: input.strings['role-arn'],
    endpointPublicAccess: publicAccess,
    endpointPrivateAccess: privateAccess,
    publicAccessCidrs: vpc.publicAccessCidrs ? asList(vpc.publicAccessCidrs) : undefined,
    subnetIds: asList(vpc.subnetIds),
    tags: tags ? Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, String(value)])) : undefined,
  });
  if (typeof created === 'string') {
    const code = /already exists/.test(created) ? 'ResourceInUseException' : 'InvalidParameterException';
    return failure(code, created);
  }
  return success({ cluster: describeClusterShape(created, input.region) });
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
        : `An error occurred (ResourceNotFoundException): No cluster found for name: ${name}.`;
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
    run: (input, inv) => {
      const name = input.strings.name as string;
      const cluster = theCluster(inv, name);
      return cluster ? success({ cluster: describeClusterShape(cluster, input.region) }) : notFound(name);
    },
  },
  'list-clusters': {
    api: 'ListClusters',
    params: { 'max-results': { kind: 'integer' } },
    run: (_input, inv) => {
      const cluster = inv.ctx.domains.cluster.cluster;
      return success({ clusters: cluster ? [cluster.name] : [] });
    },
  },
  'update-cluster-config': {
    api: 'UpdateClusterConfig',
    params: { name: { kind: 'string', required: true }, 'resources-vpc-config': { kind: 'structure' } },
    run: (input, inv) => {
      const name = input.strings.name as string;
      const vpc = input.structures['resources-vpc-config'];
      if (!vpc) {
        return theCluster(inv, name) ? failure('InvalidParameterException', 'No changes needed') : notFound(name);
      }
      const unknown = Object.keys(vpc).filter(
        (k) => !['endpointPublicAccess', 'endpointPrivateAccess', 'publicAccessCidrs'].includes(k),
      );
      if (unknown.length) {
        return failure(
          'InvalidParameterException',
          `The simulator changes only endpoint access here; not modelled: ${unknown.join(', ')}`,
        );
      }
      for (const key of ['endpointPublicAccess', 'endpointPrivateAccess'] as const) {
        if (vpc[key] !== undefined && asBoolean(vpc[key]) === undefined) {
          return failure('InvalidParameterException', `${key} must be true or false (got ${String(vpc[key])})`);
        }
      }
      return startUpdate(inv, name, 'endpoint.update', {
        public: asBoolean(vpc.endpointPublicAccess),
        private: asBoolean(vpc.endpointPrivateAccess),
        publicAccessCidrs: vpc.publicAccessCidrs === undefined ? undefined : asList(vpc.publicAccessCidrs),
      });
    },
  },
  'update-cluster-version': {
    api: 'UpdateClusterVersion',
    params: { name: { kind: 'string', required: true }, 'kubernetes-version': { kind: 'string', required: true } },
    run: (input, inv) =>
      startUpdate(inv, input.strings.name as string, 'cluster.update-version', {
        name: input.strings.name,
        version: input.strings['kubernetes-version'],
      }),
  },
  'describe-update': {
    api: 'DescribeUpdate',
    params: {
      name: { kind: 'string', required: true },
      'update-id': { kind: 'string', required: true },
      'nodegroup-name': { kind: 'string' },
    },
    run: (input, inv) => {
      const name = input.strings.name as string;
      const cluster = theCluster(inv, name);
      if (!cluster) return notFound(name);
      const id = input.strings['update-id'] as string;
      const update = cluster.updates.find((u) => u.id === id);
      if (!update) return failure('ResourceNotFoundException', `No update found for ID: ${id}`);
      return success({ update: updateShape(update) });
    },
  },
  'list-updates': {
    api: 'ListUpdates',
    params: { name: { kind: 'string', required: true } },
    run: (input, inv) => {
      const name = input.strings.name as string;
      const cluster = theCluster(inv, name);
      return cluster ? success({ updateIds: cluster.updates.map((u) => u.id) }) : notFound(name);
    },
  },
  'delete-cluster': {
    api: 'DeleteCluster',
    params: { name: { kind: 'string', required: true } },
    run: (input, inv) => {
      const name = input.strings.name as string;
      const cluster = theCluster(inv, name);
      if (!cluster) return notFound(name);
      if (inv.ctx.domains.nodegroups.all.some((g) => g.clusterName === name && g.status !== 'DELETING')) {
        return failure('ResourceInUseException', 'Cluster has nodegroups attached');
      }
      const error = inv.ctx.domains.cluster.delete(name);
      if (error)
        return failure(/^No cluster/.test(error) ? 'ResourceNotFoundException' : 'ResourceInUseException', error);
      return success({ cluster: describeClusterShape(cluster, input.region) });
    },
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
      if (!cluster) return notFound(name);
      inv.out(`Updated context ${cluster.arn} in /root/.kube/config\n`);
      return success(undefined);
    },
  },
};
