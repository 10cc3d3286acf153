import { anonymousForbidden } from '@eks-sim/sim-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eksToken } from '../helpers/eks-token';
import { startServer } from './harness';

type Server = Awaited<ReturnType<typeof startServer>>;

describe('simulated Kubernetes API endpoint /k8s/<session>/<cluster>/…', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer({ unreachableTimeoutMs: 50 });
  });
  afterAll(async () => server.stop());

  const get = (path: string, headers: Record<string, string> = {}) =>
    server.app.inject({ method: 'GET', url: `/k8s/default/myeks${path}`, headers });

  it('answers /version and refuses other paths to anonymous users exactly when the vantage can reach the endpoint', async () => {
    for (const from of ['laptop', 'bastion']) {
      const reachable = server.defaultSession.sim.domains.endpoint.reach(from).reachable;
      const version = await get('/version', { 'x-eks-sim-from': from });
      const root = await get('/', { 'x-eks-sim-from': from });
      if (reachable) {
        expect(version.statusCode).toBe(200);
        expect(version.json().gitVersion).toMatch(/^v1\.28\.\d+-eks-[0-9a-f]{7}$/);
        expect(version.json().platform).toBe('linux/amd64');
        expect(root.statusCode).toBe(403);
        expect(root.json()).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
        expect(root.json().message).toBe('forbidden: User "system:anonymous" cannot get path "/"');
      } else {
        expect(version.statusCode).toBe(504);
        expect(version.json().message).toContain('i/o timeout');
        expect(version.json().reachability.reachable).toBe(false);
      }
    }
  });

  it('kubectl discovery (/api, /apis) without credentials gets the Status EKS sends, so kubectl prints its message', async () => {
    // The Accept header and query kubectl 1.30+ send on discovery (aggregated discovery first).
    const accept =
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    for (const path of ['/api', '/apis']) {
      const res = await get(`${path}?timeout=32s`, { accept, 'user-agent': 'kubectl/v1.31.0 (linux/amd64)' });
      expect(res.statusCode).toBe(403);
      // Exactly application/json, no charset: what kube-apiserver sends and client-go decodes as a Status.
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `forbidden: User "system:anonymous" cannot get path "${path}"`,
        reason: 'Forbidden',
        details: {},
        code: 403,
      });
    }
  });

  it('a private-only endpoint refuses the laptop here too, naming the hop that refused', async () => {
    const headers = { authorization: `Bearer ${server.defaultSession.token}` };
    await server.app.inject({
      method: 'POST',
      url: '/api/sessions/default/commands',
      headers,
      payload: { type: 'endpoint.update', public: false, private: true },
    });
    await server.app.inject({
      method: 'POST',
      url: '/api/sessions/default/clock',
      headers,
      payload: { action: 'step', ms: 3_600_000 },
    });
    expect(server.defaultSession.sim.snapshot().cluster?.resourcesVpcConfig.endpointPublicAccess).toBe(false);
    const res = await get('/version');
    expect(res.statusCode).toBe(504);
    expect(res.json().reachability.refusedAt).toBeTruthy();
  });

  it('an unknown cluster, session or vantage is a clear 4xx', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/k8s/default/other/version' })).statusCode).toBe(404);
    expect((await server.app.inject({ method: 'GET', url: '/k8s/nope/myeks/version' })).statusCode).toBe(404);
    const vantage = await get('/version', { 'x-eks-sim-from': 'mars' });
    expect(vantage.statusCode).toBe(400);
    expect(vantage.json().message).toContain('mars');
  });
});

describe('the /k8s endpoint with an EKS token: resources, Tables, writes and watches', () => {
  let server: Server;
  const TOKEN = { authorization: '' };
  beforeAll(async () => {
    server = await startServer();
    // The cluster creator's token, as `aws eks get-token` makes it with the session's key.
    TOKEN.authorization = `Bearer ${await eksToken({
      accessKeyId: server.defaultSession.id,
      secretAccessKey: server.defaultSession.token,
      clusterName: 'myeks',
      region: server.defaultSession.sim.scenario.region,
    })}`;
  });
  afterAll(async () => server.stop());

  const TABLE =
    'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  const call = (
    method: 'GET' | 'PATCH' | 'POST' | 'DELETE' | 'PUT',
    path: string,
    opts: { accept?: string; body?: unknown; type?: string } = {},
  ) =>
    server.app.inject({
      method,
      url: `/k8s/default/myeks${path}`,
      headers: {
        ...TOKEN,
        ...(opts.accept ? { accept: opts.accept } : {}),
        ...(opts.body === undefined ? {} : { 'content-type': opts.type ?? 'application/json' }),
      },
      ...(opts.body === undefined ? {} : { payload: JSON.stringify(opts.body) }),
    });

  it('kubectl get nodes gets a server-side Table; -o json the NodeList', async () => {
    const table = await call('GET', '/api/v1/nodes?limit=500', { accept: TABLE });
    expect(table.statusCode).toBe(200);
    expect(table.headers['content-type']).toBe('application/json');
    expect(table.json().kind).toBe('Table');
    expect(
      table
        .json()
        .columnDefinitions.filter((c: { priority: number }) => c.priority === 0)
        .map((c: { name: string }) => c.name),
    ).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version']);
    expect(table.json().rows).toHaveLength(2);
    const list = await call('GET', '/api/v1/nodes');
    expect(list.json()).toMatchObject({ kind: 'NodeList', apiVersion: 'v1' });
    expect(list.json().items[0].status.nodeInfo.kubeletVersion).toMatch(/^v1\.28\.\d+-eks-/);
  });

  it('aggregated discovery comes back with the content type kubectl asked for', async () => {
    const res = await call('GET', '/apis?timeout=32s', {
      accept:
        'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(res.json().kind).toBe('APIGroupDiscoveryList');
  });

  it('cordon (strategic merge patch) and scale (merge patch) are journalled commands; other writes get a 405 Status', async () => {
    const node = (await call('GET', '/api/v1/nodes')).json().items[0].metadata.name as string;
    const cordon = await call('PATCH', `/api/v1/nodes/${node}`, {
      body: { spec: { unschedulable: true } },
      type: 'application/strategic-merge-patch+json',
    });
    expect(cordon.statusCode).toBe(200);
    expect(cordon.json().spec.unschedulable).toBe(true);
    expect(server.defaultSession.sim.domains.workloads.cordoned).toEqual([node]);
    const scale = await call('PATCH', '/apis/apps/v1/namespaces/kube-system/deployments/coredns/scale', {
      body: { spec: { replicas: 4 } },
      type: 'application/merge-patch+json',
    });
    expect(scale.json()).toMatchObject({ kind: 'Scale', spec: { replicas: 4 } });
    expect(server.defaultSession.sim.events().map((e) => e.type)).toEqual(
      expect.arrayContaining(['node.cordoned', 'deployment.scaled']),
    );
    const refused = await call('DELETE', '/api/v1/namespaces/kube-system/services/kube-dns');
    expect(refused.statusCode).toBe(405);
    expect(refused.json()).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed' });
    const anonymous = await server.app.inject({
      method: 'PATCH',
      url: `/k8s/default/myeks/api/v1/nodes/${node}`,
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
      payload: JSON.stringify({ spec: { unschedulable: null } }),
    });
    expect(anonymous.statusCode).toBe(403);
    expect(server.defaultSession.sim.domains.workloads.cordoned).toEqual([node]);
  });

  it('?watch=1 streams newline-delimited WatchEvents as the model changes', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.base}/k8s/default/myeks/api/v1/namespaces/kube-system/pods?watch=1`, {
      headers: TOKEN,
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const lines = async (count: number) => {
      while (text.split('\n').filter(Boolean).length < count) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
    };
    const initial = await lines(1);
    expect(initial[0]?.type).toBe('ADDED');
    const podCount = server.defaultSession.sim.domains.workloads.pods().length;
    await lines(podCount);
    await call('PATCH', '/apis/apps/v1/namespaces/kube-system/deployments/coredns/scale', {
      body: { spec: { replicas: 1 } },
    });
    const after = await lines(podCount + 1);
    const deleted = after.slice(podCount).filter((e) => e.type === 'DELETED');
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.every((e) => e.object.metadata.name.startsWith('coredns-'))).toBe(true);
    controller.abort();
  });
});

describe('what kube-apiserver tells system:anonymous (kubernetes.io (Authenticating: anonymous requests))', () => {
  it('names the path for non-resource URLs', () => {
    expect(anonymousForbidden('/').message).toBe('forbidden: User "system:anonymous" cannot get path "/"');
    expect(anonymousForbidden('/metrics').message).toBe(
      'forbidden: User "system:anonymous" cannot get path "/metrics"',
    );
  });

  it('names the verb, resource, group and scope for resource URLs', () => {
    expect(anonymousForbidden('/api/v1/nodes').message).toBe(
      'nodes is forbidden: User "system:anonymous" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    expect(anonymousForbidden('/api/v1/namespaces/kube-system/pods').message).toBe(
      'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "kube-system"',
    );
    expect(anonymousForbidden('/api/v1/namespaces/default').message).toBe(
      'namespaces "default" is forbidden: User "system:anonymous" cannot get resource "namespaces" in API group "" at the cluster scope',
    );
    expect(anonymousForbidden('/apis/apps/v1/namespaces/default/deployments').message).toBe(
      'deployments.apps is forbidden: User "system:anonymous" cannot list resource "deployments" in API group "apps" in the namespace "default"',
    );
  });
});
