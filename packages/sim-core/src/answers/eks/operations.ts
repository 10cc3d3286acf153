import type { ClusterUpdate } from '../../cluster/types';
import type { Command, CommandResult } from '../../engine/command-spec';
import { versionsOffered } from '../../versions/calendar';
import { type AddonOperations, addonOperations } from './addon-operations';
import { answer, command, type EksAnswer, type EksApiDeps, lookups, refuse } from './answer';
import { EKS_ERROR_TEXT, eksError, eksErrorOfCommand } from './errors';
import { type NodegroupOperations, nodegroupOperations } from './nodegroup-operations';
import { type ClusterShape, clusterShape, type UpdateShape, updateShape } from './shapes';
import { type TagOperations, tagOperations } from './tag-operations';

export type { EksAnswer, EksApiDeps };

/** `VpcConfigRequest` (EKS API reference). */
export interface VpcConfigRequest {
  readonly subnetIds?: readonly string[];
  readonly securityGroupIds?: readonly string[];
  readonly endpointPublicAccess?: boolean;
  readonly endpointPrivateAccess?: boolean;
  readonly publicAccessCidrs?: readonly string[];
}

/** CreateCluster's request body, as far as the simulator models it. */
export interface CreateClusterRequest {
  readonly name: string;
  readonly version?: string;
  readonly roleArn?: string;
  readonly resourcesVpcConfig?: VpcConfigRequest;
  readonly upgradePolicy?: { readonly supportType?: string };
  readonly tags?: Readonly<Record<string, string>>;
}

/** UpdateClusterConfig's request body, as far as the simulator models it. */
export interface UpdateClusterConfigRequest {
  readonly resourcesVpcConfig?: VpcConfigRequest;
  readonly upgradePolicy?: { readonly supportType?: string };
  readonly logging?: unknown;
}

/** Which updates ListUpdates and DescribeUpdate mean: the cluster's, or one node group's or add-on's. */
export interface UpdateScope {
  readonly nodegroupName?: string;
  readonly addonName?: string;
}

/** The EKS API over the model: reads answer from records, changes go through `apply` (the one dispatcher). */
export interface EksApi extends NodegroupOperations, AddonOperations, TagOperations {
  createCluster(request: CreateClusterRequest): EksAnswer<{ cluster: ClusterShape }>;
  describeCluster(name: string): EksAnswer<{ cluster: ClusterShape }>;
  listClusters(): EksAnswer<{ clusters: string[] }>;
  deleteCluster(name: string): EksAnswer<{ cluster: ClusterShape }>;
  updateClusterConfig(name: string, request: UpdateClusterConfigRequest): EksAnswer<{ update: UpdateShape }>;
  updateClusterVersion(name: string, version: string): EksAnswer<{ update: UpdateShape }>;
  describeUpdate(name: string, updateId: string, scope?: UpdateScope): EksAnswer<{ update: UpdateShape }>;
  listUpdates(name: string, scope?: UpdateScope): EksAnswer<{ updateIds: string[] }>;
}

export function eksApi(deps: EksApiDeps): EksApi {
  const { model, apply, now } = deps;
  const { find, notFound, groupsOf } = lookups(model);
  const nodegroups = nodegroupOperations(deps);
  const addons = addonOperations(deps);

  /** The update a command just started: the id it returned, else the newest. */
  const started = (result: CommandResult): ClusterUpdate | undefined => {
    const data = (result.ok ? result.data : undefined) as
      | { update?: { id?: string }; updateId?: string; id?: string }
      | undefined;
    const id = data?.update?.id ?? data?.updateId ?? data?.id;
    const updates = model.cluster.cluster?.updates ?? [];
    return (id ? updates.find((u) => u.id === id) : undefined) ?? updates.at(-1);
  };
  const startUpdate = (name: string, change: Command): EksAnswer<{ update: UpdateShape }> => {
    if (!find(name)) return notFound(name);
    const result = apply(change);
    if (!result.ok) return refuse(eksErrorOfCommand(result));
    const update = started(result);
    if (!update) return refuse(eksError('ServerException', 'the update was accepted but not recorded'));
    return answer({ update: updateShape(update) });
  };

  return {
    ...nodegroups,
    ...addons,
    ...tagOperations(deps),

    createCluster(request) {
      const vpc = request.resourcesVpcConfig ?? {};
      const result = apply(
        command('cluster.create', {
          name: request.name,
          // Without a version EKS uses its default: taken as the newest it offers that day.
          version: request.version ?? versionsOffered(now()).at(-1),
          endpointPublicAccess: vpc.endpointPublicAccess,
          endpointPrivateAccess: vpc.endpointPrivateAccess,
          publicAccessCidrs: vpc.publicAccessCidrs,
          supportType: request.upgradePolicy?.supportType,
          roleArn: request.roleArn,
          tags: request.tags,
          // EKS needs the subnets for the control plane's ENIs; none given is refused like too few.
          subnetIds: vpc.subnetIds ?? [],
        }),
      );
      if (!result.ok) return refuse(eksErrorOfCommand(result));
      const cluster = find(request.name);
      if (!cluster) return refuse(eksError('ServerException', 'the cluster was accepted but not recorded'));
      return answer({ cluster: clusterShape(model, cluster) });
    },

    describeCluster(name) {
      const cluster = find(name);
      return cluster ? answer({ cluster: clusterShape(model, cluster) }) : notFound(name);
    },

    listClusters() {
      const cluster = model.cluster.cluster;
      return answer({ clusters: cluster ? [cluster.name] : [] });
    },

    deleteCluster(name) {
      const cluster = find(name);
      if (!cluster) return notFound(name);
      // EKS refuses while node groups are left (EKS User Guide, "Delete a cluster": delete them first).
      if (groupsOf(name).some((g) => g.status !== 'DELETING')) {
        return refuse(eksError('ResourceInUseException', EKS_ERROR_TEXT.nodegroupsAttached, { clusterName: name }));
      }
      const result = apply(command('cluster.delete', { name }));
      if (!result.ok) return refuse(eksErrorOfCommand(result));
      return answer({ cluster: clusterShape(model, cluster) });
    },

    updateClusterConfig(name, request) {
      if (!find(name)) return notFound(name);
      const vpc = request.resourcesVpcConfig;
      const kinds = [vpc, request.upgradePolicy, request.logging].filter((x) => x !== undefined).length;
      if (kinds === 0) return refuse(eksError('InvalidParameterException', 'No changes needed'));
      if (kinds > 1) return refuse(eksError('InvalidParameterException', 'Only one type of update can be allowed.'));
      if (request.logging !== undefined) {
        return refuse(eksError('InvalidParameterException', 'eks-sim does not simulate control plane logging updates'));
      }
      if (vpc) {
        const unmodelled = (['subnetIds', 'securityGroupIds'] as const).filter((key) => vpc[key] !== undefined);
        if (unmodelled.length) {
          return refuse(
            eksError(
              'InvalidParameterException',
              `eks-sim simulates endpoint access updates only; not modelled: ${unmodelled.join(', ')}`,
            ),
          );
        }
        return startUpdate(
          name,
          command('endpoint.update', {
            public: vpc.endpointPublicAccess,
            private: vpc.endpointPrivateAccess,
            publicAccessCidrs: vpc.publicAccessCidrs,
          }),
        );
      }
      return startUpdate(
        name,
        command('cluster.update-upgrade-policy', { name, supportType: request.upgradePolicy?.supportType }),
      );
    },

    updateClusterVersion(name, version) {
      return startUpdate(name, command('cluster.update-version', { name, version }));
    },

    describeUpdate(name, updateId, scope = {}) {
      const cluster = find(name);
      if (!cluster) return notFound(name);
      const notFoundUpdate = refuse<{ update: UpdateShape }>(
        eksError('ResourceNotFoundException', EKS_ERROR_TEXT.updateNotFound(updateId), { clusterName: name }),
      );
      if (scope.nodegroupName !== undefined) {
        const updates = nodegroups.nodegroupUpdates(name, scope.nodegroupName);
        if (!updates.ok) return updates;
        const update = updates.body.find((u) => u.id === updateId);
        return update ? answer({ update }) : notFoundUpdate;
      }
      // The simulator's add-ons are never updated: no add-on update exists.
      if (scope.addonName !== undefined) {
        const addon = addons.describeAddon(name, scope.addonName);
        return addon.ok ? notFoundUpdate : addon;
      }
      const update = cluster.updates.find((u) => u.id === updateId);
      return update ? answer({ update: updateShape(update) }) : notFoundUpdate;
    },

    listUpdates(name, scope = {}) {
      const cluster = find(name);
      if (!cluster) return notFound(name);
      if (scope.nodegroupName !== undefined) {
        const updates = nodegroups.nodegroupUpdates(name, scope.nodegroupName);
        return updates.ok ? answer({ updateIds: updates.body.map((u) => u.id) }) : updates;
      }
      if (scope.addonName !== undefined) {
        const addon = addons.describeAddon(name, scope.addonName);
        return addon.ok ? answer({ updateIds: [] }) : addon;
      }
      return answer({ updateIds: cluster.updates.map((u) => u.id) });
    },
  };
}
