import type { ClusterRecord, ClusterUpdate } from '../../cluster/types';
import type { Command, CommandResult } from '../../engine/command-spec';
import { versionsOffered } from '../../versions/calendar';
import type { AnswerModel } from '../model';
import { EKS_ERROR_TEXT, type EksError, eksError, eksErrorOfCommand } from './errors';
import {
  type ClusterShape,
  clusterShape,
  type NodegroupShape,
  nodegroupShape,
  type UpdateShape,
  updateShape,
} from './shapes';

/** An EKS operation's answer: the response document, or an EKS error. */
export type EksAnswer<T> = { readonly ok: true; readonly body: T } | { readonly ok: false; readonly error: EksError };

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

/** The EKS API over the model: reads answer from records, changes go through `apply` (the one dispatcher). */
export interface EksApi {
  createCluster(request: CreateClusterRequest): EksAnswer<{ cluster: ClusterShape }>;
  describeCluster(name: string): EksAnswer<{ cluster: ClusterShape }>;
  listClusters(): EksAnswer<{ clusters: string[] }>;
  deleteCluster(name: string): EksAnswer<{ cluster: ClusterShape }>;
  updateClusterConfig(name: string, request: UpdateClusterConfigRequest): EksAnswer<{ update: UpdateShape }>;
  updateClusterVersion(name: string, version: string): EksAnswer<{ update: UpdateShape }>;
  describeUpdate(name: string, updateId: string): EksAnswer<{ update: UpdateShape }>;
  listUpdates(name: string): EksAnswer<{ updateIds: string[] }>;
  listNodegroups(clusterName: string): EksAnswer<{ nodegroups: string[] }>;
  describeNodegroup(clusterName: string, nodegroupName: string): EksAnswer<{ nodegroup: NodegroupShape }>;
}

export interface EksApiDeps {
  readonly model: AnswerModel;
  /** Applies a command (journalled on the server, logged as the shell's in the shell). */
  readonly apply: (command: Command) => CommandResult;
  /** Simulated now, for the default Kubernetes version EKS offers that day. */
  readonly now: () => number;
}

const answer = <T>(body: T): EksAnswer<T> => ({ ok: true, body });
const refuse = <T>(error: EksError): EksAnswer<T> => ({ ok: false, error });

/** A command without its undefined fields (what was not asked for is absent, as in JSON). */
function command(type: string, fields: Record<string, unknown>): Command {
  return Object.fromEntries(
    Object.entries({ type, ...fields }).filter(([, value]) => value !== undefined),
  ) as unknown as Command;
}

export function eksApi({ model, apply, now }: EksApiDeps): EksApi {
  const find = (name: string): ClusterRecord | undefined => {
    const cluster = model.cluster.cluster;
    return cluster && cluster.name === name ? cluster : undefined;
  };
  const groupsOf = (clusterName: string) => model.nodegroups.all.filter((g) => g.clusterName === clusterName);
  const notFound = <T>(name: string) =>
    refuse<T>(eksError('ResourceNotFoundException', EKS_ERROR_TEXT.clusterNotFound(name), { clusterName: name }));

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

    describeUpdate(name, updateId) {
      const cluster = find(name);
      if (!cluster) return notFound(name);
      const update = cluster.updates.find((u) => u.id === updateId);
      if (!update) {
        return refuse(
          eksError('ResourceNotFoundException', EKS_ERROR_TEXT.updateNotFound(updateId), { clusterName: name }),
        );
      }
      return answer({ update: updateShape(update) });
    },

    listUpdates(name) {
      const cluster = find(name);
      return cluster ? answer({ updateIds: cluster.updates.map((u) => u.id) }) : notFound(name);
    },

    listNodegroups(clusterName) {
      if (!find(clusterName)) return notFound(clusterName);
      return answer({ nodegroups: groupsOf(clusterName).map((g) => g.name) });
    },

    describeNodegroup(clusterName, nodegroupName) {
      const cluster = find(clusterName);
      if (!cluster) return notFound(clusterName);
      const group = groupsOf(clusterName).find((g) => g.name === nodegroupName);
      if (!group) {
        return refuse(
          eksError('ResourceNotFoundException', EKS_ERROR_TEXT.nodegroupNotFound(nodegroupName), {
            clusterName,
            nodegroupName,
          }),
        );
      }
      return answer({ nodegroup: nodegroupShape(cluster, group) });
    },
  };
}
