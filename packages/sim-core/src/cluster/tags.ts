import { TAG_LIMITS } from '../engine/command-spec';

/**
 * TagResource and UntagResource on a resource's tags, the same for a cluster, a node group and
 * an add-on: added keys overwrite, removed keys that are absent are ignored, and a resource
 * keeps at most 50 tags (https://docs.aws.amazon.com/eks/latest/userguide/eks-using-tags.html#tag-restrictions).
 * Returns the new tags, or why EKS refuses.
 */
export function tagsAfter(
  current: Readonly<Record<string, string>>,
  change: { readonly add?: Readonly<Record<string, string>>; readonly remove?: readonly string[] },
): Record<string, string> | string {
  const next: Record<string, string> = { ...current, ...(change.add ?? {}) };
  for (const key of change.remove ?? []) delete next[key];
  const count = Object.keys(next).length;
  if (count > TAG_LIMITS.count) {
    return `A resource may have at most ${TAG_LIMITS.count} tags; this request would leave ${count}`;
  }
  return next;
}

/** A TagResource or UntagResource applied: the resource's new tags, the keys it named, and how the log says it. */
export interface TagChange {
  readonly tags: Record<string, string>;
  readonly keys: readonly string[];
  readonly verb: 'tagged' | 'untagged';
}

/** `tagsAfter`, with what the event log names: the keys added or removed. */
export function tagChange(
  current: Readonly<Record<string, string>>,
  change: { readonly add?: Readonly<Record<string, string>>; readonly remove?: readonly string[] },
): TagChange | string {
  const tags = tagsAfter(current, change);
  if (typeof tags === 'string') return tags;
  return {
    tags,
    keys: change.add ? Object.keys(change.add) : [...(change.remove ?? [])],
    verb: change.add ? 'tagged' : 'untagged',
  };
}
