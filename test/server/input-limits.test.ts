import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamClient, startServer } from './harness';

type Server = Awaited<ReturnType<typeof startServer>>;

/** `{"k": [[[…]]]}` as text: the finding's 6000 levels fit in 12 KB, under every byte limit. */
const deepTags = (levels: number) => `{"k":${'['.repeat(levels)}${']'.repeat(levels)}}`;

describe('bounded input on every surface', () => {
  let server: Server;
  let session: { id: string; token: string };
  const auth = () => ({ authorization: `Bearer ${session.token}`, 'content-type': 'application/json' });

  beforeAll(async () => {
    server = await startServer({ tickMs: 50 });
    // seed-lab starts without a cluster, so cluster.create would apply if it got through.
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: { scenario: 'seed-lab' },
    });
    session = created.json();
  });
  afterAll(async () => server.stop());

  /** After a refusal: /api/health answers, a viewer's stream still streams, the session has no cluster. */
  async function stillServingWithoutCluster() {
    expect((await server.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    const viewer = await StreamClient.connect(`${server.ws}/api/sessions/${session.id}/stream`);
    const snapshot = await viewer.next('snapshot');
    expect(snapshot.state.cluster).toBeNull();
    await server.app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/clock`,
      headers: auth(),
      payload: { action: 'step', ms: 60_000 },
    });
    await viewer.next('delta');
    viewer.close();
  }

  it('cluster.create with tags nested 6000 deep over REST is a 400 naming the field; nothing applied; the server keeps serving', async () => {
    const before = server.store.get(session.id)?.sim.lastSeq;
    const res = await server.app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/commands`,
      headers: auth(),
      payload: `{"type":"cluster.create","name":"deep","version":"1.28","tags":${deepTags(6000)}}`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'InputTooLarge',
      message: expect.stringMatching(
        /^request body: "tags\.k(\[0\])+…": nested too deeply \(at most 64 levels of arrays and objects\)$/,
      ),
    });
    expect(server.store.get(session.id)?.sim.lastSeq).toBe(before);
    await stillServingWithoutCluster();
  });

  it('the same command in one WebSocket frame gets an error naming the field; nothing applied; the server keeps serving', async () => {
    const control = await StreamClient.connect(`${server.ws}/api/sessions/${session.id}/stream?token=${session.token}`);
    await control.next('snapshot');
    control.send(
      `{"type":"command","id":"c1","command":{"type":"cluster.create","name":"deep","version":"1.28","tags":${deepTags(6000)}}}`,
    );
    const reply = await control.next('error');
    expect(reply.error).toBe('BadMessage');
    expect(reply.message).toMatch(/^message "command\.tags\.k(\[0\])+…": nested too deeply/);
    control.close();
    await stillServingWithoutCluster();
  });

  it('tags past EKS limits (51 tags, a 129-character key) are refused naming the field, nothing applied', async () => {
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    const res = await server.app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/commands`,
      headers: auth(),
      payload: { type: 'cluster.create', name: 'demo', version: '1.28', tags },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/tags must NOT have more than 50 properties/);
    const longKey = await server.app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/commands`,
      headers: auth(),
      payload: { type: 'cluster.create', name: 'demo', version: '1.28', tags: { ['k'.repeat(129)]: 'v' } },
    });
    expect(longKey.statusCode).toBe(400);
    expect(longKey.json().message).toMatch(/tags/);
    expect(server.store.get(session.id)?.sim.snapshot().cluster).toBeNull();
  });

  it('a body of more than the body limit is 413 on /api', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/exec`,
      headers: auth(),
      payload: JSON.stringify({ line: 'x'.repeat(100_000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'PayloadTooLarge' });
  });

  it('a scenarioText nested deeply is refused before it is parsed, with a message naming the limit', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: { scenarioText: `extends: seed-week1\ntitle: ${'['.repeat(20_000)}` },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'InvalidScenario', message: expect.stringMatching(/nested too deeply/) });
  });
});

describe('strict types: no coercion', () => {
  let server: Server;
  const auth = () => ({ authorization: `Bearer ${server.defaultSession.token}` });
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server.stop());

  it('a clock step with "ms" as a string, true or null is 400 and the clock does not move', async () => {
    const before = server.defaultSession.sim.now();
    for (const ms of ['5', true, null]) {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/sessions/default/clock',
        headers: auth(),
        payload: { action: 'step', ms },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        error: 'InvalidRequest',
        message: expect.stringMatching(/ms must be number/),
      });
    }
    expect(server.defaultSession.sim.now()).toBe(before);
  });

  it('a session with "seed" as a string is 400, not created', async () => {
    const sessions = server.store.size;
    const res = await server.app.inject({ method: 'POST', url: '/api/sessions', payload: { seed: '7' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/seed must be integer/);
    expect(server.store.size).toBe(sessions);
  });

  it('unknown fields are refused, not silently dropped', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/sessions/default/clock',
      headers: auth(),
      payload: { action: 'step', ms: 5, extra: 1 },
    });
    expect(res.statusCode).toBe(400);
  });

  it('load.spike with a duration of 99999999999999999999h is 400 naming the field and the 10-year limit', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/sessions/default/commands',
      headers: auth(),
      payload: { type: 'load.spike', factor: 2, duration: '99999999999999999999h' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/field "duration" must be a duration such as "20m", at most 10 years/);
  });

  it('query strings are still read as numbers (they are text on the wire)', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/api/sessions/default/events?since=0&limit=2' });
    expect(res.statusCode).toBe(200);
    expect(res.json().events.length).toBeLessThanOrEqual(2);
  });
});
