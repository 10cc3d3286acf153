import type { Command, CommandResult } from '../../engine/command-spec';
import {
  aggregatedDiscovery,
  aggregatedDiscoveryType,
  apiGroupList,
  apiResourceList,
  apiVersions,
  wantsAggregated,
} from './discovery';
import { authorize, type KubeIdentity, requestVerb, userInfoOf } from './identity';
import type { KubeModel } from './model';
import { type KubeObject, kubeTime } from './objects';
import { RESOURCES, type ResourceType } from './resources';
import { kubeStatus } from './status';
import { versionDocument } from './version';

/**
 * One request to the simulated API server, as the server's `/k8s` endpoint and the shell's
 * kubectl and curl make it: method, path with its query, Accept, and for writes the body.
 */
export interface KubeRequest {
  readonly method: string;
  /** `/api/v1/nodes?limit=500`. */
  readonly path: string;
  readonly accept?: string;
  readonly body?: unknown;
}

/**
 * An answer of the API server: a status code and a JSON document (with its content type when
 * it is not plain `application/json`), a text body, or a watch for the caller to stream.
 */
export type KubeAnswer =
  | { readonly code: number; readonly json: unknown; readonly contentType?: string }
  | { readonly code: number; readonly text: string }
  | { readonly code: number; readonly watch: WatchPlan };

/** An answer with its whole body at once. */
export type KubeReadAnswer = Exclude<KubeAnswer, { readonly watch: WatchPlan }>;

/** `/api/v1/nodes?limit=500`, `//version` → the path the API server routes (`/api/v1/nodes`, `/version`). */
export const requestPath = (raw: string): string => (raw.split('?')[0] ?? '').replace(/\/{2,}/g, '/') || '/';

/** Applies a command to the model (the server journals it; the shell runs it through its context). */
export type ApplyCommand = (command: Command) => CommandResult;

/** A resource path, parsed: `/api/v1/namespaces/kube-system/pods/coredns-…/eviction`. */
export interface ResourcePath {
  readonly resource: ResourceType;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

/** `?a=1&b=x` → a map (the last value of a repeated key wins, as kube-apiserver's decoder does). */
export function queryOf(rawPath: string): Map<string, string> {
  const q = rawPath.includes('?') ? rawPath.slice(rawPath.indexOf('?') + 1) : '';
  const out = new Map<string, string>();
  for (const part of q.split('&')) {
    if (!part) continue;
    const [k = '', v = ''] = part.split('=');
    try {
      out.set(decodeURIComponent(k.replace(/\+/g, ' ')), decodeURIComponent(v.replace(/\+/g, ' ')));
    } catch {
      out.set(k, v);
    }
  }
  return out;
}

/** The resource a path names, or a reason it names none (undefined: not a resource path at all). */
export function parseResourcePath(path: string): ResourcePath | { notFound: string } | undefined {
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(\/.*)?$/.exec(path);
  if (!m) return undefined;
  const group = m[2] ?? '';
  const version = m[1] ?? (m[3] as string);
  const rest = (m[4] ?? '').split('/').filter(Boolean);
  if (rest.length === 0) return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest.splice(0, 2);
  }
  const [plural, name, subresource, ...extra] = rest;
  const resource = RESOURCES.find((r) => r.name === plural && r.group === group && r.version === version);
  if (!resource || extra.length > 0) {
    return { notFound: 'the server could not find the requested resource' };
  }
  if (namespace !== undefined && !resource.namespaced) {
    return { notFound: 'the server could not find the requested resource' };
  }
  return { resource, namespace, name, subresource };
}

const qualified = (r: ResourceType) => (r.group ? `${r.name}.${r.group}` : r.name);

export function notFound(r: ResourceType, name: string): KubeAnswer {
  return {
    code: 404,
    json: kubeStatus(404, `${qualified(r)} "${name}" not found`, {
      name,
      ...(r.group ? { group: r.group } : {}),
      kind: r.name,
    }),
  };
}

/** One term of a label or field selector: `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a)`. */
type Term = { key: string; op: '=' | '!=' | 'exists' | '!exists' | 'in' | 'notin'; values: string[] };

function parseSelector(text: string): Term[] {
  const terms: Term[] = [];
  for (const raw of text.split(/,(?![^(]*\))/)) {
    const part = raw.trim();
    if (!part) continue;
    let m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m) {
      terms.push({
        key: m[1] as string,
        op: m[2] as 'in' | 'notin',
        values: (m[3] as string).split(',').map((v) => v.trim()),
      });
      continue;
    }
    m = /^([^!=]+)(!=|==|=)(.*)$/.exec(part);
    if (m) {
      terms.push({ key: (m[1] as string).trim(), op: m[2] === '!=' ? '!=' : '=', values: [(m[3] as string).trim()] });
      continue;
    }
    terms.push(
      part.startsWith('!')
        ? { key: part.slice(1), op: '!exists', values: [] }
        : { key: part, op: 'exists', values: [] },
    );
  }
  return terms;
}

function matches(terms: readonly Term[], value: (key: string) => string | undefined): boolean {
  return terms.every((t) => {
    const v = value(t.key);
    switch (t.op) {
      case '=':
        return (v ?? '') === t.values[0];
      case '!=':
        return (v ?? '') !== t.values[0];
      case 'exists':
        return v !== undefined;
      case '!exists':
        return v === undefined;
      case 'in':
        return v !== undefined && t.values.includes(v);
      case 'notin':
        return v === undefined || !t.values.includes(v);
    }
    return false;
  });
}

/** A dotted field of an object (`spec.nodeName`, `involvedObject.kind`), as a field selector reads it. */
function fieldOf(object: KubeObject, path: string): string | undefined {
  let at: unknown = object;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at === undefined || at === null ? undefined : String(at);
}

/** The objects a list asks for: its namespace, its label and field selectors. */
export function selectObjects(
  model: KubeModel,
  r: ResourceType,
  namespace: string | undefined,
  query: Map<string, string>,
) {
  const labels = parseSelector(query.get('labelSelector') ?? '');
  const fields = parseSelector(query.get('fieldSelector') ?? '');
  // kube-apiserver lists in storage-key order: by namespace, then name.
  const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const sorted = r.list(model).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return sorted.filter(
    (o) =>
      (namespace === undefined || o.metadata.namespace === namespace) &&
      matches(labels, (k) => o.metadata.labels?.[k]) &&
      // A field the object lacks reads as empty: `involvedObject.namespace=` selects Node events.
      matches(fields, (k) => fieldOf(o, k) ?? (fields.find((t) => t.key === k)?.op === '=' ? '' : undefined)),
  );
}

const groupVersion = (r: ResourceType) => (r.group ? `${r.group}/${r.version}` : r.version);

/** Whether the client asked for a server-side Table (`kubectl get` does). */
export const wantsTable = (accept: string | undefined): boolean => accept !== undefined && /as=Table/.test(accept);

/** The server-side Table of `objects` (meta.k8s.io/v1): kubectl prints its cells as they are. */
export function tableOf(
  model: KubeModel,
  r: ResourceType,
  objects: readonly KubeObject[],
  opts: { includeObject?: string; noHeaders?: boolean } = {},
) {
  const now = model.clock.now();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: String(model.log.lastSeq) },
    ...(opts.noHeaders ? {} : { columnDefinitions: r.columns }),
    rows: objects.map((o) => ({
      cells: r.cells(o, now),
      object:
        opts.includeObject === 'Object'
          ? o
          : opts.includeObject === 'None'
            ? null
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}

/** The list object of a GET on a collection: `NodeList` and so on. */
export function listOf(model: KubeModel, r: ResourceType, objects: readonly KubeObject[]) {
  return {
    kind: `${r.kind}List`,
    apiVersion: groupVersion(r),
    metadata: { resourceVersion: String(model.log.lastSeq) },
    items: objects,
  };
}

/** The `autoscaling/v1` Scale of coredns (`kubectl scale` reads and writes it). */
function scaleOf(deployment: KubeObject) {
  const d = deployment as KubeObject & { spec: { replicas: number }; status: { replicas: number } };
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: d.metadata.name,
      namespace: d.metadata.namespace,
      uid: d.metadata.uid,
      resourceVersion: d.metadata.resourceVersion,
      creationTimestamp: d.metadata.creationTimestamp,
    },
    spec: { replicas: d.spec.replicas },
    status: { replicas: d.status.replicas, selector: 'eks.amazonaws.com/component=coredns,k8s-app=kube-dns' },
  };
}

/** A write the simulator does not model: 405, naming what it does model. */
function notModelled(method: string, path: string): KubeAnswer {
  return {
    code: 405,
    json: kubeStatus(
      405,
      `eks-sim does not model ${method} ${path}: the simulated API server accepts only the writes its lessons use — cordon and uncordon (PATCH a node's spec.unschedulable), drain (pod eviction), and scaling coredns (the deployment's scale subresource)`,
    ),
  };
}

/** The command a write stands for, or the answer that refuses it. */
function writeCommand(method: string, target: ResourcePath, body: unknown): Command | KubeAnswer {
  const r = target.resource;
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const spec = (typeof b.spec === 'object' && b.spec !== null ? b.spec : {}) as Record<string, unknown>;
  if (r.name === 'nodes' && method === 'PATCH' && target.name && !target.subresource && 'unschedulable' in spec) {
    const onlySpec = Object.keys(b).every((k) => k === 'spec' || k === 'metadata') && Object.keys(spec).length === 1;
    if (onlySpec) return { type: spec.unschedulable === true ? 'node.cordon' : 'node.uncordon', node: target.name };
  }
  if (r.name === 'pods' && target.name && target.namespace !== undefined) {
    if ((method === 'POST' && target.subresource === 'eviction') || (method === 'DELETE' && !target.subresource)) {
      return { type: 'pod.evict', namespace: target.namespace, name: target.name };
    }
  }
  if (r.name === 'deployments' && target.name && target.namespace !== undefined) {
    const scaling =
      (target.subresource === 'scale' && (method === 'PATCH' || method === 'PUT')) ||
      (!target.subresource && method === 'PATCH' && Object.keys(spec).length === 1);
    if (scaling && typeof spec.replicas === 'number') {
      return { type: 'deployment.scale', namespace: target.namespace, name: target.name, replicas: spec.replicas };
    }
    if (scaling && target.subresource === 'scale') {
      return { code: 400, json: kubeStatus(400, 'the Scale needs spec.replicas, a whole number') };
    }
  }
  return notModelled(method, target.subresource ? `${r.name}/${target.subresource}` : r.name);
}

/**
 * What the cluster's API server answers `request` from `identity`, once the request has reached
 * it (reachability is the caller's: the server's `/k8s` endpoint and the shell's `curl` and
 * `kubectl` decide that from the endpoint model). Who may do what is `authorize`'s
 * (identity.ts), asked first. Writes the
 * lessons use change the model through `apply`; any other write is a 405 `Status`.
 * `?watch=1` is the caller's to stream (`watchFrame` gives what to diff).
 */
export function kubernetesRequest(
  model: KubeModel,
  request: KubeRequest,
  identity: KubeIdentity,
  apply: ApplyCommand,
): KubeAnswer {
  const path = requestPath(request.path);
  const method = request.method.toUpperCase();
  const cluster = model.cluster.cluster;
  const refused = authorize(identity, requestVerb(method, request.path), path);
  if (refused) return { code: refused.code, json: refused };
  if (method === 'GET' && cluster && (path === '/version' || path === '/version/')) {
    return { code: 200, json: versionDocument(cluster.version, cluster.platformVersion) };
  }
  if (method === 'GET' && (path === '/healthz' || path === '/livez' || path === '/readyz'))
    return { code: 200, text: 'ok' };
  const query = queryOf(request.path);
  if (method === 'GET' && (path === '/api' || path === '/apis')) {
    const aggregated = wantsAggregated(request.accept);
    if (aggregated) {
      return {
        code: 200,
        json: aggregatedDiscovery(path, aggregated),
        contentType: aggregatedDiscoveryType(aggregated),
      };
    }
    return { code: 200, json: path === '/api' ? apiVersions(model) : apiGroupList() };
  }
  const gv = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/?$/.exec(path);
  if (method === 'GET' && gv) {
    const list = apiResourceList(gv[2] ?? '', gv[1] ?? (gv[3] as string));
    if (list) return { code: 200, json: list };
  }
  const parsed = parseResourcePath(path);
  if (!parsed || 'notFound' in parsed) {
    return { code: 404, json: kubeStatus(404, 'the server could not find the requested resource', {}) };
  }
  const target = parsed;
  const r = target.resource;
  if (r.name === 'selfsubjectreviews') return selfSubjectReview(method, identity);
  if (method !== 'GET') {
    const command = writeCommand(method, target, request.body);
    if (!('type' in command)) return command;
    const result = apply(command);
    if (!result.ok) {
      if (result.code === 'NotFound') return notFound(r, target.name ?? '');
      return { code: 422, json: kubeStatus(422, result.error) };
    }
    if (command.type === 'pod.evict' && method === 'POST') {
      return { code: 201, json: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };
    }
    const after = r
      .list(model)
      .find((o) => o.metadata.name === target.name && o.metadata.namespace === target.namespace);
    if (command.type === 'pod.evict') {
      // The deleted pod as it was asked for: its replacement has another name.
      return {
        code: 200,
        json: {
          kind: 'Pod',
          apiVersion: 'v1',
          metadata: { name: target.name, namespace: target.namespace, deletionTimestamp: kubeTime(model.clock.now()) },
        },
      };
    }
    if (target.subresource === 'scale' && after) return { code: 200, json: scaleOf(after) };
    return { code: 200, json: after ?? {} };
  }
  if (target.subresource) {
    if (r.name === 'deployments' && target.subresource === 'scale' && target.name) {
      const d = r.list(model).find((o) => o.metadata.name === target.name && o.metadata.namespace === target.namespace);
      return d ? { code: 200, json: scaleOf(d) } : notFound(r, target.name);
    }
    return { code: 404, json: kubeStatus(404, 'the server could not find the requested resource', {}) };
  }
  // A namespace's own path (`/api/v1/namespaces/kube-system`) is a get of that Namespace.
  const objects = selectObjects(model, r, target.namespace, query);
  if (target.name !== undefined) {
    const one = objects.find((o) => o.metadata.name === target.name);
    if (!one) return notFound(r, target.name);
    return {
      code: 200,
      json: wantsTable(request.accept) ? tableOf(model, r, [one], { includeObject: query.get('includeObject') }) : one,
    };
  }
  if (query.get('watch') === '1' || query.get('watch') === 'true') {
    return { code: 200, watch: { resource: r, namespace: target.namespace, query, table: wantsTable(request.accept) } };
  }
  return {
    code: 200,
    json: wantsTable(request.accept)
      ? tableOf(model, r, objects, { includeObject: query.get('includeObject') })
      : listOf(model, r, objects),
  };
}

/** `kubectl auth whoami`: a created SelfSubjectReview carries the asker's user info; nothing else is served. */
function selfSubjectReview(method: string, identity: KubeIdentity): KubeAnswer {
  const userInfo = userInfoOf(identity);
  if (method !== 'POST' || !userInfo) {
    return { code: 405, json: kubeStatus(405, 'the server does not allow this method on the requested resource', {}) };
  }
  return {
    code: 201,
    json: {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      status: { userInfo },
    },
  };
}

/** A watch the caller streams: what to list each time, and how to send it. */
export interface WatchPlan {
  readonly resource: ResourceType;
  readonly namespace: string | undefined;
  readonly query: Map<string, string>;
  readonly table: boolean;
}

/** What a watch sees now: each selected object by its namespace/name. */
export function watchFrame(model: KubeModel, plan: WatchPlan): Map<string, KubeObject> {
  const objects = selectObjects(model, plan.resource, plan.namespace, plan.query);
  return new Map(objects.map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o]));
}

/** A `watch.Event` as kube-apiserver streams it: one JSON document per line. */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: unknown;
}

/**
 * The events between two frames (ADDED, MODIFIED when the resourceVersion changed, DELETED),
 * each object as the watch sends it: a one-row Table for `kubectl get -w`, else the object.
 * `headersSent` leaves the column definitions out after the first Table, as kube-apiserver does.
 */
export function watchEvents(
  model: KubeModel,
  plan: WatchPlan,
  before: ReadonlyMap<string, KubeObject>,
  after: ReadonlyMap<string, KubeObject>,
  headersSent: boolean,
): WatchEvent[] {
  const events: WatchEvent[] = [];
  const send = (type: WatchEvent['type'], o: KubeObject) => {
    const object = plan.table
      ? tableOf(model, plan.resource, [o], {
          includeObject: plan.query.get('includeObject'),
          noHeaders: headersSent || events.length > 0,
        })
      : o;
    events.push({ type, object });
  };
  for (const [key, o] of after) {
    const old = before.get(key);
    if (!old) send('ADDED', o);
    else if (old.metadata.resourceVersion !== o.metadata.resourceVersion) send('MODIFIED', o);
  }
  for (const [key, o] of before) if (!after.has(key)) send('DELETED', o);
  return events;
}

const readOnly: ApplyCommand = () => ({ ok: false, code: 'ReadOnly', error: 'a GET changes nothing' });

/** A read, whole (a `?watch=1` gets the list as it is now): `kubernetesRequest` with GET, for curl and tests. */
export function kubernetesGet(
  model: KubeModel,
  rawPath: string,
  identity: KubeIdentity,
  accept?: string,
): KubeReadAnswer {
  const answer = kubernetesRequest(
    model,
    { method: 'GET', path: rawPath, ...(accept ? { accept } : {}) },
    identity,
    readOnly,
  );
  if (!('watch' in answer)) return answer;
  const plan = answer.watch;
  return {
    code: 200,
    json: listOf(model, plan.resource, selectObjects(model, plan.resource, plan.namespace, plan.query)),
  };
}
