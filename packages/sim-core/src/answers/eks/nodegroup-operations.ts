import { answer, command, type EksAnswer, type EksApiDeps, lookups, refuse } from './answer';
import { EKS_ERROR_TEXT, eksError, eksErrorOfCommand } from './errors';
import { type NodegroupShape, nodegroupShape, nodegroupUpdateShape, type UpdateShape } from './shapes';

/** CreateNodegroup's request body (EKS API reference), as far as the simulator models it. */
export interface CreateNodegroupRequest {
  readonly nodegroupName: string;
  readonly subnets: readonly string[];
  readonly nodeRole?: string;
  readonly scalingConfig?: { readonly minSize?: number; readonly maxSize?: number; readonly desiredSize?: number };
  readonly instanceTypes?: readonly string[];
  readonly diskSize?: number;
  readonly version?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface NodegroupOperations {
  listNodegroups(clusterName: string): EksAnswer<{ nodegroups: string[] }>;
  describeNodegroup(clusterName: string, nodegroupName: string): EksAnswer<{ nodegroup: NodegroupShape }>;
  createNodegroup(clusterName: string, request: CreateNodegroupRequest): EksAnswer<{ nodegroup: NodegroupShape }>;
  deleteNodegroup(clusterName: string, nodegroupName: string): EksAnswer<{ nodegroup: NodegroupShape }>;
  updateNodegroupVersion(
    clusterName: string,
    nodegroupName: string,
    version?: string,
  ): EksAnswer<{ update: UpdateShape }>;
  /** A node group's updates (UpdateNodegroupVersion), for ListUpdates and DescribeUpdate with `nodegroupName`. */
  nodegroupUpdates(clusterName: string, nodegroupName: string): EksAnswer<UpdateShape[]>;
}

/** The managed node-group calls: reads from the node groups' records, changes through their commands. */
export function nodegroupOperations({ model, apply }: EksApiDeps): NodegroupOperations {
  const { find, notFound, groupsOf } = lookups(model);
  const groupNotFound = <T>(clusterName: string, nodegroupName: string) =>
    refuse<T>(
      eksError('ResourceNotFoundException', EKS_ERROR_TEXT.nodegroupNotFound(nodegroupName), {
        clusterName,
        nodegroupName,
      }),
    );
  const described = (clusterName: string, nodegroupName: string): EksAnswer<{ nodegroup: NodegroupShape }> => {
    const cluster = find(clusterName);
    if (!cluster) return notFound(clusterName);
    const group = groupsOf(clusterName).find((g) => g.name === nodegroupName);
    return group ? answer({ nodegroup: nodegroupShape(cluster, group) }) : groupNotFound(clusterName, nodegroupName);
  };
  const updatesOf = (clusterName: string, nodegroupName: string): EksAnswer<UpdateShape[]> => {
    if (!find(clusterName)) return notFound(clusterName);
    const group = groupsOf(clusterName).find((g) => g.name === nodegroupName);
    if (!group) return groupNotFound(clusterName, nodegroupName);
    return answer(
      model.nodegroups.upgrades.filter((u) => u.nodegroup === group.name).map((u) => nodegroupUpdateShape(group, u)),
    );
  };

  return {
    listNodegroups(clusterName) {
      if (!find(clusterName)) return notFound(clusterName);
      return answer({ nodegroups: groupsOf(clusterName).map((g) => g.name) });
    },

    describeNodegroup: described,

    createNodegroup(clusterName, request) {
      if (!find(clusterName)) return notFound(clusterName);
      const scaling = request.scalingConfig ?? {};
      const result = apply(
        command('nodegroup.create', {
          clusterName,
          nodegroup: request.nodegroupName,
          subnetIds: [...request.subnets],
          instanceType: request.instanceTypes?.[0],
          desiredSize: scaling.desiredSize,
          minSize: scaling.minSize,
          maxSize: scaling.maxSize,
          diskSize: request.diskSize,
          version: request.version,
          nodeRole: request.nodeRole,
          tags: request.tags,
        }),
      );
      if (!result.ok) return refuse(eksErrorOfCommand(result));
      return described(clusterName, request.nodegroupName);
    },

    deleteNodegroup(clusterName, nodegroupName) {
      if (!find(clusterName)) return notFound(clusterName);
      const result = apply(command('nodegroup.delete', { clusterName, nodegroup: nodegroupName }));
      if (!result.ok) return refuse(eksErrorOfCommand(result));
      return described(clusterName, nodegroupName);
    },

    updateNodegroupVersion(clusterName, nodegroupName, version) {
      if (!find(clusterName)) return notFound(clusterName);
      const result = apply(command('nodegroup.upgrade', { clusterName, nodegroup: nodegroupName, version }));
      if (!result.ok) return refuse(eksErrorOfCommand(result));
      const updates = updatesOf(clusterName, nodegroupName);
      const newest = updates.ok ? updates.body.at(-1) : undefined;
      if (!newest) return refuse(eksError('ServerException', 'the node group update was accepted but not recorded'));
      return answer({ update: newest });
    },

    nodegroupUpdates: updatesOf,
  };
}
