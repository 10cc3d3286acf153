import { type CommandResult, type CommandSpec, fail, ok } from '../engine/command-spec';

/** What the commands ask of the node groups' domain (which implements it). */
export interface NodegroupApiHandlers {
  createFromApi(input: CreateNodegroupInput): CommandResult;
  deleteFromApi(clusterName: string, name: string): CommandResult;
  retag(clusterName: string, name: string, change: { add?: Record<string, string>; remove?: string[] }): CommandResult;
}

/**
 * The EKS API's node-group calls as commands (CreateNodegroup, DeleteNodegroup, TagResource and
 * UntagResource on a node group's ARN), so every surface — the server's AWS API, the shell's
 * `aws eks`, a scenario's timeline — drives the same node groups and their machines.
 * UpdateNodegroupVersion is the versions domain's `nodegroup.upgrade`.
 */
export function nodegroupCommands(domain: NodegroupApiHandlers): CommandSpec[] {
  return [
    {
      type: 'nodegroup.create',
      doc: 'Create a managed node group (CreateNodegroup) on an ACTIVE cluster: CREATING while its instances launch and join (3-5 simulated minutes), then ACTIVE, or CREATE_FAILED with NodeCreationFailure when the nodes cannot reach the API server.',
      fields: {
        clusterName: { kind: 'string', required: true },
        nodegroup: { kind: 'string', required: true, maxLength: 63 },
        subnetIds: { kind: 'string[]', required: true, doc: 'subnets of the simulated VPC, all public or all private' },
        instanceType: { kind: 'string', maxLength: 64, doc: 'default t3.medium' },
        desiredSize: { kind: 'integer', min: 0, max: 100, doc: 'default 2 (eksctl’s default)' },
        minSize: { kind: 'integer', min: 0, max: 100 },
        maxSize: { kind: 'integer', min: 1, max: 100 },
        diskSize: { kind: 'integer', min: 1, max: 16384, doc: 'GiB; default 20, the EKS API’s' },
        version: { kind: 'string', maxLength: 16, doc: 'Kubernetes minor; default the cluster’s' },
        nodeRole: { kind: 'string', maxLength: 2048, doc: 'IAM role ARN of the nodes' },
        tags: { kind: 'tags' },
      },
      handle: (c) => domain.createFromApi(c as unknown as CreateNodegroupInput),
    },
    {
      type: 'nodegroup.delete',
      doc: 'Delete a managed node group (DeleteNodegroup): DELETING while its nodes drain and terminate (2-4 simulated minutes), then gone. Needs no path to the API server (the console way).',
      fields: { clusterName: { kind: 'string', required: true }, nodegroup: { kind: 'string', required: true } },
      handle: (c) => domain.deleteFromApi(String(c.clusterName), String(c.nodegroup)),
    },
    {
      type: 'nodegroup.tag',
      doc: 'Add or overwrite tags on a managed node group (TagResource).',
      fields: {
        clusterName: { kind: 'string', required: true },
        nodegroup: { kind: 'string', required: true },
        tags: { kind: 'tags', required: true },
      },
      handle: (c) =>
        domain.retag(String(c.clusterName), String(c.nodegroup), { add: c.tags as Record<string, string> }),
    },
    {
      type: 'nodegroup.untag',
      doc: 'Remove tags from a managed node group by key (UntagResource).',
      fields: {
        clusterName: { kind: 'string', required: true },
        nodegroup: { kind: 'string', required: true },
        keys: { kind: 'string[]', required: true, maxLength: 128 },
      },
      handle: (c) => domain.retag(String(c.clusterName), String(c.nodegroup), { remove: c.keys as string[] }),
    },
  ];
}

export interface CreateNodegroupInput {
  readonly clusterName: string;
  readonly nodegroup: string;
  readonly subnetIds: readonly string[];
  readonly instanceType?: string;
  readonly desiredSize?: number;
  readonly minSize?: number;
  readonly maxSize?: number;
  readonly diskSize?: number;
  readonly version?: string;
  readonly nodeRole?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** EKS's scaling rules (API reference, `NodegroupScalingConfig`): min ≤ desired ≤ max, max ≥ 1. */
export function scalingRefusal(min: number, desired: number, max: number): CommandResult | undefined {
  if (min > max)
    return fail('InvalidParameterException', `Minimum capacity ${min} can't be greater than maximum ${max}`);
  if (desired > max) {
    return fail('InvalidParameterException', `Desired capacity ${desired} can't be greater than max size ${max}`);
  }
  if (desired < min) {
    return fail('InvalidParameterException', `Desired capacity ${desired} can't be lower than min size ${min}`);
  }
  return undefined;
}

export const created = (name: string): CommandResult => ok(`Nodegroup ${name} is CREATING`, { nodegroup: name });
