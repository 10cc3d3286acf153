import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eksToken } from '../helpers/eks-token';
import { startServer } from './harness';

type Server = Awaited<ReturnType<typeof startServer>>;

describe('the /k8s endpoint authenticates EKS tokens as EKS does', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server.stop());

  const get = (path: string, authorization?: string) =>
    server.app.inject({
      method: 'GET',
      url: `/k8s/default/myeks${path}`,
      headers: authorization === undefined ? {} : { authorization },
    });
  const creatorToken = (signedAt = new Date()) =>
    eksToken({
      accessKeyId: server.defaultSession.id,
      secretAccessKey: server.defaultSession.token,
      clusterName: 'myeks',
      region: server.defaultSession.sim.scenario.region,
      signedAt,
    });

  it('no token: /version and /healthz answer, resources are 403 for system:anonymous', async () => {
    expect((await get('/version')).statusCode).toBe(200);
    expect((await get('/healthz')).statusCode).toBe(200);
    const nodes = await get('/api/v1/nodes');
    expect(nodes.statusCode).toBe(403);
    expect(nodes.json().message).toContain('User "system:anonymous" cannot list resource "nodes"');
  });

  it('a bad token is 401 Unauthorized, even on /version', async () => {
    for (const token of ['abc', 'k8s-aws-v1.aGVsbG8']) {
      const res = await get('/version', `Bearer ${token}`);
      expect(res.statusCode, token).toBe(401);
      expect(res.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    }
  });

  it('an expired token (signed 16 minutes ago) is 401', async () => {
    const res = await get('/api/v1/nodes', `Bearer ${await creatorToken(new Date(Date.now() - 16 * 60_000))}`);
    expect(res.statusCode).toBe(401);
  });

  it("the session's control key gets past authentication and authorization", async () => {
    const res = await get('/api/v1/nodes', `Bearer ${await creatorToken()}`);
    expect([401, 403]).not.toContain(res.statusCode);
  });

  it('a token signed with another key is a viewer: it may read', async () => {
    const token = await eksToken({ accessKeyId: 'AKIAEXAMPLESTUDENT01', secretAccessKey: 'x', clusterName: 'myeks' });
    const res = await get('/api/v1/nodes', `Bearer ${token}`);
    expect([401, 403]).not.toContain(res.statusCode);
  });
});
