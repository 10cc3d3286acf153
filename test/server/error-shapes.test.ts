import { CreateClusterCommand, EKSClient, ListFargateProfilesCommand } from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamClient, startServer } from './harness';

type Server = Awaited<ReturnType<typeof startServer>>;

const isStatus = (body: unknown, code: number) =>
  expect(body).toMatchObject({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    message: expect.any(String),
  });

describe('one error shape per surface', () => {
  let server: Server;
  let sdk: EKSClient;
  beforeAll(async () => {
    server = await startServer();
    sdk = new EKSClient({
      endpoint: server.base,
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'default', secretAccessKey: server.defaultSession.token },
      maxAttempts: 1,
    });
  });
  afterAll(async () => server.stop());

  it('/api answers every error with { error, message }: unknown route, bad URL, oversized body', async () => {
    const unknown = await server.app.inject({ method: 'GET', url: '/api/nothing' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'NotFound', message: 'no route GET /api/nothing' });
    const badUrl = await fetch(`${server.base}/%ff`);
    expect(badUrl.status).toBe(400);
    expect(await badUrl.json()).toEqual({ error: 'BadRequest', message: "'/%ff' is not a valid url component" });
    const big = await server.app.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: JSON.stringify({ scenarioText: 'x'.repeat(200_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.statusCode).toBe(413);
    expect(Object.keys(big.json()).sort()).toEqual(['error', 'message']);
  });

  it('the AWS API answers every error with x-amzn-errortype and { message }: unknown route, bad URL, 413, bad JSON', async () => {
    const cases = [
      {
        method: 'GET' as const,
        url: '/clusters/myeks/fargate-profiles',
        status: 404,
        type: 'UnknownOperationException',
      },
      { method: 'GET' as const, url: '/clusters/%ff', status: 400, type: 'InvalidParameterException' },
      {
        method: 'POST' as const,
        url: '/clusters',
        payload: JSON.stringify({ name: 'x', clientRequestToken: 'x'.repeat(100_000) }),
        status: 413,
        type: 'RequestEntityTooLargeException',
      },
      { method: 'POST' as const, url: '/clusters', payload: '{"name":', status: 400, type: 'SerializationException' },
    ];
    for (const c of cases) {
      const res = await fetch(`${server.base}${c.url}`, {
        method: c.method,
        ...(c.payload ? { body: c.payload, headers: { 'content-type': 'application/json' } } : {}),
      });
      expect(res.status, c.url).toBe(c.status);
      expect(res.headers.get('x-amzn-errortype'), c.url).toBe(c.type);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body), c.url).toEqual(['message']);
    }
  });

  it('@aws-sdk/client-eks names an unknown operation and a 413 by their error types', async () => {
    const unknown = await sdk.send(new ListFargateProfilesCommand({ clusterName: 'myeks' })).catch((e: Error) => e);
    expect((unknown as Error).name).toBe('UnknownOperationException');
    const tooBig = await sdk
      .send(
        new CreateClusterCommand({
          name: 'big',
          roleArn: 'arn:aws:iam::111122223333:role/eks',
          resourcesVpcConfig: {},
          clientRequestToken: 'x'.repeat(100_000),
        }),
      )
      .catch((e: Error & { $metadata?: { httpStatusCode?: number } }) => e);
    expect((tooBig as Error).name).toBe('RequestEntityTooLargeException');
    expect((tooBig as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(413);
  });

  it('/k8s answers every error with a Kubernetes Status: unknown session, bad URL, rate of refusal', async () => {
    const noSession = await server.app.inject({ method: 'GET', url: '/k8s/nope/myeks/version' });
    expect(noSession.statusCode).toBe(404);
    isStatus(noSession.json(), 404);
    expect(noSession.json().reason).toBe('NotFound');
    const badUrl = await fetch(`${server.base}/k8s/%ff/x`);
    expect(badUrl.status).toBe(400);
    isStatus(await badUrl.json(), 400);
    // A write without credentials: RBAC refuses system:anonymous.
    const post = await server.app.inject({ method: 'POST', url: '/k8s/default/myeks/api/v1/pods', payload: {} });
    expect(post.statusCode).toBe(403);
    isStatus(post.json(), 403);
  });

  it('an internal failure never reaches a client: REST and WebSocket get a generic message, stderr gets the stack', async () => {
    const session = server.defaultSession;
    const original = session.apply.bind(session);
    const written: string[] = [];
    const stderrWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    session.apply = () => {
      throw new RangeError('Maximum call stack size exceeded');
    };
    try {
      const rest = await server.app.inject({
        method: 'POST',
        url: '/api/sessions/default/commands',
        headers: { authorization: `Bearer ${session.token}` },
        payload: { type: 'load.set', rps: 100 },
      });
      expect(rest.statusCode).toBe(500);
      expect(rest.json()).toEqual({
        error: 'InternalError',
        message: 'the server failed on this request; the details are in its log',
      });
      const control = await StreamClient.connect(`${server.ws}/api/sessions/default/stream?token=${session.token}`);
      await control.next('snapshot');
      control.send({ type: 'command', id: 'x', command: { type: 'load.set', rps: 100 } });
      const reply = await control.next('error');
      expect(reply.message).toBe('the server failed on this message; the details are in its log');
      control.close();
    } finally {
      session.apply = original;
      process.stderr.write = stderrWrite;
    }
    const log = written.join('');
    expect(log).toMatch(
      /eks-sim: unexpected error in POST \/api\/sessions\/default\/commands: RangeError: Maximum call stack/,
    );
    expect(log).toMatch(/eks-sim: unexpected error in stream message of session default: RangeError/);
  });
});
