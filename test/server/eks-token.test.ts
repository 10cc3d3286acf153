import { describe, expect, it } from 'vitest';
import { identityOfToken, type TokenContext } from '../../packages/server/src/eks-token';
import { eksToken } from '../helpers/eks-token';

const NOW = Date.UTC(2026, 10, 29, 13, 0, 0);
const context: TokenContext = {
  clusterName: 'myeks',
  controlKeyId: 'default',
  controlSecret: 'the-control-token',
  secretOf: (key) => (key === 'class-2' ? 'class-2-token' : undefined),
  nowMs: NOW,
};
const token = (options: Partial<Parameters<typeof eksToken>[0]> = {}) =>
  eksToken({
    accessKeyId: 'default',
    secretAccessKey: 'the-control-token',
    clusterName: 'myeks',
    signedAt: new Date(NOW - 5_000),
    ...options,
  });
const identity = async (authorization: string | undefined) => identityOfToken(authorization, context);
const bearer = async (options: Partial<Parameters<typeof eksToken>[0]> = {}) => `Bearer ${await token(options)}`;

describe('EKS bearer tokens (aws eks get-token), checked as aws-iam-authenticator checks them', () => {
  it('the session control key signing for this cluster is the cluster creator, with cluster-admin', async () => {
    expect(await identity(await bearer())).toEqual({
      kind: 'user',
      username: 'arn:aws:iam::111122223333:user/admin',
      groups: ['system:authenticated'],
      access: 'cluster-admin',
      accessKeyId: 'default',
      principalId: 'AIDAEXAMPLEUSERID0001',
    });
  });

  it('no Authorization header is system:anonymous', async () => {
    expect(await identity(undefined)).toEqual({ kind: 'anonymous' });
  });

  it('a token signed for another cluster is rejected: the signed x-k8s-aws-id must name this one', async () => {
    const result = await identity(await bearer({ clusterName: 'other' }));
    expect(result.kind).toBe('rejected');
    expect(result.kind === 'rejected' && result.reason).toContain('signature does not match');
  });

  it('the control key with the wrong secret is rejected', async () => {
    expect((await identity(await bearer({ secretAccessKey: 'guess' }))).kind).toBe('rejected');
  });

  it('a token expires 15 minutes after its X-Amz-Date, whatever X-Amz-Expires says', async () => {
    expect((await identity(await bearer({ signedAt: new Date(NOW - 14 * 60_000) }))).kind).toBe('user');
    const expired = await identity(await bearer({ signedAt: new Date(NOW - 16 * 60_000) }));
    expect(expired).toMatchObject({ kind: 'rejected' });
    expect(expired.kind === 'rejected' && expired.reason).toContain('expired');
  });

  it('another key is a read-only viewer, checked when the server knows its secret', async () => {
    const stranger = await identity(await bearer({ accessKeyId: 'AKIAEXAMPLESTUDENT01', secretAccessKey: 'x' }));
    expect(stranger).toMatchObject({ kind: 'user', access: 'view', accessKeyId: 'AKIAEXAMPLESTUDENT01' });
    expect(stranger.kind === 'user' && stranger.username).toBe('arn:aws:iam::111122223333:user/AKIAEXAMPLESTUDENT01');
    expect(await identity(await bearer({ accessKeyId: 'class-2', secretAccessKey: 'class-2-token' }))).toMatchObject({
      kind: 'user',
      access: 'view',
    });
    expect((await identity(await bearer({ accessKeyId: 'class-2', secretAccessKey: 'wrong' }))).kind).toBe('rejected');
  });

  it('anything that is not a presigned STS GetCallerIdentity URL is rejected, saying why', async () => {
    const encode = (url: string) => `Bearer k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;
    const valid = Buffer.from((await token()).slice('k8s-aws-v1.'.length), 'base64url').toString();
    const cases: [string, string][] = [
      ['Bearer abc', 'prefix'],
      ['Basic dXNlcjpwYXNz', 'Bearer'],
      ['Bearer k8s-aws-v1.!!!', 'base64url'],
      [encode(valid.replace('https://', 'http://')), 'scheme'],
      [encode(valid.replace('sts.ap-northeast-2.amazonaws.com', 'sts.example.com')), 'hostname'],
      [encode(valid.replace('/?', '/x?')), 'path'],
      [encode(valid.replace('GetCallerIdentity', 'AssumeRole')), 'action'],
      [encode(valid.replace('host%3Bx-k8s-aws-id', 'host')), 'x-k8s-aws-id'],
      [encode(`${valid}&Extra=1`), 'non-whitelisted'],
      [encode(valid.replace('X-Amz-Expires=60', 'X-Amz-Expires=901')), 'X-Amz-Expires'],
      [`Bearer k8s-aws-v1.${'A'.repeat(5000)}`, 'too large'],
    ];
    for (const [authorization, why] of cases) {
      const result = await identity(authorization);
      expect(result.kind, authorization.slice(0, 80)).toBe('rejected');
      expect(result.kind === 'rejected' && result.reason, authorization.slice(0, 80)).toContain(why);
    }
  });
});
