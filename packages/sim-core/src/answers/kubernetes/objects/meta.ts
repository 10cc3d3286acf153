import { isoTime } from '../../../engine/duration';
import { hashName } from '../../../engine/prng';
import { stableUid } from '../../../workloads/names';
import type { KubeModel } from '../model';

/**
 * What every Kubernetes object has (its metadata: uid, resourceVersion, creation time), and
 * the Namespaces. Shapes follow the Kubernetes API reference (kubernetes.io/docs/reference/kubernetes-api/).
 */

export type KubeObject = {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
};

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly uid: string;
  readonly resourceVersion: string;
  readonly creationTimestamp: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly Readonly<Record<string, unknown>>[];
  readonly generateName?: string;
  readonly generation?: number;
}

/** `2024-03-10T09:00:00Z`: Kubernetes writes times to the second. */
export const kubeTime = (ms: number): string => `${isoTime(ms).slice(0, 19)}Z`;

export const NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;

/** A resourceVersion that changes exactly when the object does. */
export function versioned<T extends { metadata: Omit<ObjectMeta, 'resourceVersion'> }>(
  object: T,
): T & { metadata: ObjectMeta } {
  const rv = String(hashName(JSON.stringify(object)) % 100_000_000);
  return { ...object, metadata: { ...object.metadata, resourceVersion: rv } } as T & { metadata: ObjectMeta };
}

export function meta(
  model: KubeModel,
  kind: string,
  name: string,
  createdAtMs: number,
  extra: Partial<Omit<ObjectMeta, 'name' | 'uid' | 'resourceVersion' | 'creationTimestamp'>> = {},
) {
  const cluster = model.cluster.cluster?.name ?? '';
  return {
    name,
    ...(extra.namespace === undefined ? {} : { namespace: extra.namespace }),
    uid: stableUid(`${cluster}/${kind}/${extra.namespace ?? ''}/${name}`),
    creationTimestamp: kubeTime(createdAtMs),
    ...extra,
  };
}

export const clusterCreatedAt = (model: KubeModel): number => model.cluster.cluster?.createdAtMs ?? model.clock.now();

export function namespaceObjects(model: KubeModel): KubeObject[] {
  return NAMESPACES.map((name) =>
    versioned({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta(model, 'Namespace', name, clusterCreatedAt(model), {
        labels: { 'kubernetes.io/metadata.name': name },
      }),
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    }),
  );
}
