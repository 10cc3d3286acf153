import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './harness';

type Server = Awaited<ReturnType<typeof startServer>>;

describe('REST under /api', () => {
  let server: Server;
  let token: string;
  const auth = () => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    server = await startServer();
    token = server.defaultSession.token;
  });
  afterAll(async () => server.stop());

  const inject = (opts: {
    method: 'GET' | 'POST' | 'DELETE';
    url: string;
    payload?: string | object;
    headers?: Record<string, string>;
  }) => server.app.inject(opts);

  it('answers health and lists the built-in scenarios with seed-week1 as the default', async () => {
    const health = await inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', protocol: 1 });
    const list = (await inject({ method: 'GET', url: '/api/scenarios' })).json() as {
      name: string;
      default: boolean;
    }[];
    expect(list.find((s) => s.default)?.name).toBe('seed-week1');
  });

  it('lists every command with the JSON schema its body is validated against', async () => {
    const commands = (await inject({ method: 'GET', url: '/api/commands' })).json() as {
      type: string;
      schema: { properties: Record<string, unknown> };
    }[];
    const endpoint = commands.find((c) => c.type === 'endpoint.update');
    expect(endpoint?.schema.properties).toHaveProperty('private');
  });

  it('anyone may watch a session: its snapshot and its events since a sequence number', async () => {
    const session = await inject({ method: 'GET', url: '/api/sessions/default' });
    expect(session.statusCode).toBe(200);
    const body = session.json() as { snapshot: { cluster: { name: string } }; logHash: string; lastSeq: number };
    expect(body.snapshot.cluster.name).toBe('myeks');
    expect(body.logHash).toMatch(/^[0-9a-f]{64}$/);
    const events = (
      await inject({ method: 'GET', url: `/api/sessions/default/events?since=${body.lastSeq - 2}` })
    ).json() as {
      events: { seq: number }[];
    };
    expect(events.events.map((e) => e.seq)).toEqual([body.lastSeq - 1, body.lastSeq]);
  });

  it('a request without the control token cannot change the session, and changes nothing', async () => {
    const before = (await inject({ method: 'GET', url: '/api/sessions/default' })).json() as { logHash: string };
    const command = { type: 'endpoint.update', private: true };
    const none = await inject({ method: 'POST', url: '/api/sessions/default/commands', payload: command });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: 'Unauthorized' });
    expect(none.json().message).toContain('Authorization: Bearer');
    const wrong = await inject({
      method: 'POST',
      url: '/api/sessions/default/commands',
      payload: command,
      headers: { authorization: 'Bearer not-the-token' },
    });
    expect(wrong.statusCode).toBe(403);
    for (const url of ['/api/sessions/default/exec', '/api/sessions/default/clock']) {
      const res = await inject({ method: 'POST', url, payload: { line: 'eksctl get cluster', action: 'play' } });
      expect([400, 401]).toContain(res.statusCode);
    }
    expect((await inject({ method: 'DELETE', url: '/api/sessions/default' })).statusCode).toBe(401);
    const after = (await inject({ method: 'GET', url: '/api/sessions/default' })).json() as { logHash: string };
    expect(after.logHash).toBe(before.logHash);
  });

  it('the control token applies a command; a bad one gets a 400 naming the field', async () => {
    const created = (
      await inject({ method: 'POST', url: '/api/sessions', payload: { scenario: 'seed-week1', seed: 7 } })
    ).json() as {
      id: string;
      token: string;
    };
    const headers = { authorization: `Bearer ${created.token}` };
    const url = `/api/sessions/${created.id}/commands`;
    const unknownType = await inject({ method: 'POST', url, headers, payload: { type: 'load.sett', rps: 1 } });
    expect(unknownType.statusCode).toBe(400);
    expect(unknownType.json().error).toBe('InvalidRequest');
    const badField = await inject({
      method: 'POST',
      url,
      headers,
      payload: { type: 'endpoint.update', private: 'yes' },
    });
    expect(badField.statusCode).toBe(400);
    expect(badField.json().message).toContain('private');
    const good = await inject({ method: 'POST', url, headers, payload: { type: 'endpoint.update', private: true } });
    expect(good.statusCode).toBe(200);
    expect(good.json().ok).toBe(true);
    // EKS allows one update at a time: the model's refusal is a conflict, with its code.
    const again = await inject({ method: 'POST', url, headers, payload: { type: 'endpoint.update', public: false } });
    expect(again.statusCode).toBeGreaterThanOrEqual(400);
    expect(again.statusCode).toBeLessThan(500);
    expect(again.json().error).toMatch(/Exception$/);
  });

  it('runs a shell line from a vantage host and returns its output and exit status', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/sessions/default/exec',
      headers: auth(),
      payload: { line: 'echo $CLUSTER_NAME', from: 'bastion' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { exitCode: number; stdout: string };
    expect(body.exitCode).toBe(0);
    expect(body.stdout).toContain('myeks');
  });

  it('the clock steps, plays at a speed from 1x to 100000x, and pauses', async () => {
    const url = '/api/sessions/default/clock';
    const before = (await inject({ method: 'GET', url: '/api/sessions/default' })).json() as {
      snapshot: { clock: { nowMs: number } };
    };
    const step = await inject({ method: 'POST', url, headers: auth(), payload: { action: 'step', ms: 60_000 } });
    expect(step.statusCode).toBe(200);
    expect(step.json().nowMs).toBe(before.snapshot.clock.nowMs + 60_000);
    expect(
      (await inject({ method: 'POST', url, headers: auth(), payload: { action: 'speed', speed: 100_001 } })).statusCode,
    ).toBe(400);
    const speed = await inject({ method: 'POST', url, headers: auth(), payload: { action: 'speed', speed: 100_000 } });
    expect(speed.json().playback).toEqual({ playing: false, speed: 100_000 });
    await inject({ method: 'POST', url, headers: auth(), payload: { action: 'play' } });
    await new Promise((r) => setTimeout(r, 300));
    const paused = await inject({ method: 'POST', url, headers: auth(), payload: { action: 'pause' } });
    expect(paused.json().playback.playing).toBe(false);
    expect(paused.json().nowMs).toBeGreaterThan(before.snapshot.clock.nowMs + 60_000);
  });

  it('creates a session from scenario text and refuses an unknown scenario by name', async () => {
    const unknown = await inject({ method: 'POST', url: '/api/sessions', payload: { scenario: 'no-such' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toContain('seed-week1');
    const bad = await inject({ method: 'POST', url: '/api/sessions', payload: { scenarioText: 'name: [' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('InvalidScenario');
  });

  it('deletes a session with its token; it is gone afterwards', async () => {
    const created = (await inject({ method: 'POST', url: '/api/sessions', payload: {} })).json() as {
      id: string;
      token: string;
    };
    const del = await inject({
      method: 'DELETE',
      url: `/api/sessions/${created.id}`,
      headers: { authorization: `Bearer ${created.token}` },
    });
    expect(del.statusCode).toBe(204);
    expect((await inject({ method: 'GET', url: `/api/sessions/${created.id}` })).statusCode).toBe(404);
  });

  it('malformed JSON, a wrong content type and an oversized body get clear 4xx errors', async () => {
    const malformed = await inject({
      method: 'POST',
      url: '/api/sessions/default/commands',
      headers: { ...auth(), 'content-type': 'application/json' },
      payload: '{"type": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toBe('InvalidJSON');
    const text = await inject({
      method: 'POST',
      url: '/api/sessions/default/exec',
      headers: { ...auth(), 'content-type': 'text/plain' },
      payload: 'eksctl get cluster',
    });
    expect([400, 415]).toContain(text.statusCode);
    expect(text.json().message).toContain('body');
    const huge = await inject({
      method: 'POST',
      url: '/api/sessions/default/exec',
      headers: auth(),
      payload: { line: 'x'.repeat(100_000) },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error).toBe('PayloadTooLarge');
    const missing = await inject({ method: 'GET', url: '/api/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'NotFound' });
  });
});

describe('REST rate limit', () => {
  it('a client over its request rate gets 429 with Retry-After', async () => {
    const server = await startServer({ restRateLimit: { perSecond: 1, burst: 5 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 8; i++)
        codes.push((await server.app.inject({ method: 'GET', url: '/api/health' })).statusCode);
      expect(codes.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(codes.at(-1)).toBe(429);
      const limited = await server.app.inject({ method: 'GET', url: '/api/health' });
      expect(limited.headers['retry-after']).toBeDefined();
      expect(limited.json().error).toBe('TooManyRequests');
    } finally {
      await server.stop();
    }
  });
});
