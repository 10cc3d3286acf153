import type { KubeModel } from './model';
import { GROUPS, RESOURCES, type ResourceType, SUBRESOURCES } from './resources';

/**
 * API discovery as kube-apiserver serves it (Kubernetes docs, "Discovering Kubernetes API
 * using the Kubernetes API"): `/api` and `/apis`, each group version's APIResourceList, and
 * the aggregated form kubectl 1.30+ asks for first (`Accept:
 * application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`), all from the one
 * resource table.
 */

export const aggregatedDiscoveryType = (version: 'v2' | 'v2beta1'): string =>
  `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

/**
 * The aggregated discovery version the Accept header asks for, v2 before v2beta1 (kubectl
 * 1.30+ sends both; 1.26-1.29 only v2beta1; the shape is the same), or undefined.
 */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  const offered = (accept ?? '')
    .split(',')
    .filter((t) => /as=APIGroupDiscoveryList/.test(t) && /g=apidiscovery\.k8s\.io/.test(t));
  if (offered.some((t) => /;v=v2(;|$)/.test(t))) return 'v2';
  if (offered.some((t) => /;v=v2beta1(;|$)/.test(t))) return 'v2beta1';
  return undefined;
}

const inGroup = (group: string, version: string) => RESOURCES.filter((r) => r.group === group && r.version === version);

/** `/api`: the core group's versions and the address clients inside the VPC use. */
export function apiVersions(model: KubeModel) {
  const address = model.network.enis[0]?.privateIp;
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `${address ?? '127.0.0.1'}:443` }],
  };
}

/** `/apis`: the named groups. */
export function apiGroupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: GROUPS.map((g) => {
      const gv = { groupVersion: `${g.name}/${g.version}`, version: g.version };
      return { name: g.name, versions: [gv], preferredVersion: gv };
    }),
  };
}

function resourceEntry(r: ResourceType) {
  return {
    name: r.name,
    singularName: r.singularName,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: [...r.verbs],
    ...(r.shortNames.length ? { shortNames: [...r.shortNames] } : {}),
    ...(r.categories ? { categories: [...r.categories] } : {}),
  };
}

/** `/api/v1`, `/apis/apps/v1`, …: the APIResourceList of one group version, or undefined if none is served. */
export function apiResourceList(group: string, version: string) {
  const known = group === '' ? version === 'v1' : GROUPS.some((g) => g.name === group && g.version === version);
  if (!known) return undefined;
  const resources = inGroup(group, version);
  const subresources = SUBRESOURCES.filter((s) => resources.some((r) => r.name === s.parent)).map((s) => {
    const parent = resources.find((r) => r.name === s.parent) as ResourceType;
    return {
      name: `${s.parent}/${s.name}`,
      singularName: '',
      namespaced: parent.namespaced,
      group: s.group,
      version: s.version,
      kind: s.kind,
      verbs: [...s.verbs],
    };
  });
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: [...resources.map(resourceEntry), ...subresources],
  };
}

function discoveryGroup(group: string, version: string) {
  return {
    metadata: group === '' ? { creationTimestamp: null } : { name: group, creationTimestamp: null },
    versions: [
      {
        version,
        resources: inGroup(group, version).map((r) => {
          const subs = SUBRESOURCES.filter((s) => s.parent === r.name);
          return {
            resource: r.name,
            responseKind: { group: '', version: '', kind: r.kind },
            scope: r.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: r.singularName,
            verbs: [...r.verbs],
            ...(r.shortNames.length ? { shortNames: [...r.shortNames] } : {}),
            ...(r.categories ? { categories: [...r.categories] } : {}),
            ...(subs.length
              ? {
                  subresources: subs.map((s) => ({
                    subresource: s.name,
                    responseKind: { group: s.group, version: s.version, kind: s.kind },
                    verbs: [...s.verbs],
                  })),
                }
              : {}),
          };
        }),
        freshness: 'Current',
      },
    ],
  };
}

/** The aggregated discovery document of `/api` (core) or `/apis` (named groups). */
export function aggregatedDiscovery(which: '/api' | '/apis', version: 'v2' | 'v2beta1' = 'v2') {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: which === '/api' ? [discoveryGroup('', 'v1')] : GROUPS.map((g) => discoveryGroup(g.name, g.version)),
  };
}
