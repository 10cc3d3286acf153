import { answer, command, type EksAnswer, type EksApiDeps, lookups, refuse } from './answer';
import { EKS_ERROR_TEXT, eksError, eksErrorOfCommand } from './errors';
import { addonArn, nodegroupArn } from './shapes';

export interface TagOperations {
  tagResource(resourceArn: string, tags: Readonly<Record<string, string>>): EksAnswer<Record<string, never>>;
  untagResource(resourceArn: string, tagKeys: readonly string[]): EksAnswer<Record<string, never>>;
  listTagsForResource(resourceArn: string): EksAnswer<{ tags: Record<string, string> }>;
}

/** An EKS ARN: `arn:aws:eks:<region>:<account>:cluster/<name>`, `…:nodegroup/<cluster>/<name>/<uuid>`, `…:addon/<cluster>/<name>/<uuid>`. */
const EKS_ARN = /^arn:aws:eks:([a-z0-9-]+):(\d{12}):(cluster|nodegroup|addon)\/(.+)$/;

type Target =
  | { kind: 'cluster'; clusterName: string; tags: Record<string, string> }
  | { kind: 'nodegroup' | 'addon'; clusterName: string; name: string; tags: Record<string, string> };

/**
 * TagResource, UntagResource and ListTagsForResource on the ARN of a cluster, a node group or an
 * add-on (EKS API reference: their errors are BadRequestException and NotFoundException). The
 * tags live with their resource: the cluster, node-group and add-on records.
 */
export function tagOperations({ model, apply }: EksApiDeps): TagOperations {
  const { find, groupsOf } = lookups(model);

  const targetOf = (arn: string): Target | EksAnswer<never> => {
    const match = EKS_ARN.exec(arn);
    if (!match) return refuse(eksError('BadRequestException', EKS_ERROR_TEXT.badArn(arn)));
    const [, , , kind, path] = match as unknown as [string, string, string, Target['kind'], string];
    const notFound = refuse<never>(eksError('NotFoundException', EKS_ERROR_TEXT.resourceNotFound(arn)));
    const [clusterName = '', name = ''] = path.split('/');
    const cluster = find(clusterName);
    // Another region or account holds nothing of this simulation.
    if (!cluster || !arn.startsWith(cluster.arn.replace(/:cluster\/.*$/, ':'))) return notFound;
    if (kind === 'cluster') return path === clusterName ? { kind, clusterName, tags: cluster.tags } : notFound;
    if (kind === 'nodegroup') {
      const group = groupsOf(clusterName).find((g) => g.name === name);
      return group && nodegroupArn(cluster, group) === arn ? { kind, clusterName, name, tags: group.tags } : notFound;
    }
    const addon = model.addons.all.find((a) => a.clusterName === clusterName && a.name === name);
    return addon && addonArn(cluster, addon) === arn ? { kind, clusterName, name, tags: addon.tags } : notFound;
  };
  const isTarget = (t: Target | EksAnswer<never>): t is Target => 'kind' in t;

  const change = (arn: string, verb: 'tag' | 'untag', fields: Record<string, unknown>) => {
    const target = targetOf(arn);
    if (!isTarget(target)) return target;
    const named =
      target.kind === 'cluster'
        ? { name: target.clusterName }
        : target.kind === 'nodegroup'
          ? { clusterName: target.clusterName, nodegroup: target.name }
          : { clusterName: target.clusterName, addon: target.name };
    const result = apply(command(`${target.kind}.${verb}`, { ...named, ...fields }));
    return result.ok ? answer<Record<string, never>>({}) : refuse<Record<string, never>>(eksErrorOfCommand(result));
  };

  return {
    tagResource: (arn, tags) => change(arn, 'tag', { tags: { ...tags } }),
    untagResource(arn, tagKeys) {
      if (tagKeys.length === 0) return refuse(eksError('BadRequestException', EKS_ERROR_TEXT.tagKeysRequired));
      return change(arn, 'untag', { keys: [...tagKeys] });
    },
    listTagsForResource(arn) {
      const target = targetOf(arn);
      return isTarget(target) ? answer({ tags: { ...target.tags } }) : target;
    },
  };
}
