import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from './harness';

const MINUTE = 60_000;

type Server = Awaited<ReturnType<typeof startServer>>;

function client(server: Server, token: string) {
  const headers = { authorization: `Bearer ${token}` };
  return {
    post: async (url: string, payload?: object, auth: Record<string, string> = headers) => {
      const res = await server.app.inject({
        method: 'POST',
        url,
        headers: auth,
        ...(payload === undefined ? {} : { payload }),
      });
      return { status: res.statusCode, body: res.json() as Record<string, unknown> };
    },
  };
}

/** 30 min, the endpoint made private, 30 min more: the lockout lesson's shape. */
async function playLesson(server: Server, token: string) {
  const { post } = client(server, token);
  expect((await post('/api/sessions/default/clock', { action: 'step', ms: 30 * MINUTE })).status).toBe(200);
  const commandAtMs = server.defaultSession.sim.now();
  const applied = await post('/api/sessions/default/commands', {
    type: 'endpoint.update',
    public: false,
    private: true,
  });
  expect(applied.status).toBe(200);
  expect((await post('/api/sessions/default/clock', { action: 'step', ms: 30 * MINUTE })).status).toBe(200);
  return commandAtMs;
}

describe('fork: a new session whose past is the original line up to a moment', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  it('starts where a twin that did the same up to that moment is, with a token of its own; its commands leave the original alone', async () => {
    const server = await startServer({ seed: 7 });
    servers.push(server);
    const token = server.defaultSession.token;
    const commandAtMs = await playLesson(server, token);
    const originalHash = server.defaultSession.logHash();
    const originalNow = server.defaultSession.sim.now();

    // After the command: the fork inherits the private endpoint.
    const at = commandAtMs + 10 * MINUTE;
    const forked = await client(server, token).post('/api/sessions/default/fork', { at });
    expect(forked.status).toBe(201);
    expect(forked.body).toMatchObject({
      scenario: server.defaultSession.scenario.name,
      forkedFrom: 'default',
      atMs: at,
    });
    const id = forked.body.id as string;
    const forkToken = forked.body.token as string;
    expect(forkToken).not.toBe(token);
    expect(forked.body.streamPath).toBe(`/api/sessions/${id}/stream`);
    const fork = server.store.get(id);
    if (!fork) throw new Error('the fork is not served');
    expect(fork.sim.now()).toBe(at);
    expect(fork.playback.playing).toBe(false);
    expect(fork.sim.snapshot().endpoint.endpointPrivateAccess).toBe(true);

    // A twin: the same scenario and seed doing the same command at the same time, clock to `at`.
    const twin = server.store.create(server.defaultSession.scenario, server.defaultSession.seed);
    if ('error' in twin) throw new Error(twin.message);
    twin.sim.advanceTo(commandAtMs);
    expect(twin.apply({ type: 'endpoint.update', public: false, private: true }).ok).toBe(true);
    twin.sim.advanceTo(at);
    expect(fork.logHash()).toBe(twin.logHash());

    // The fork's token controls the fork only; the original's token does not control the fork.
    const otherFix = await client(server, forkToken).post(`/api/sessions/${id}/commands`, {
      type: 'endpoint.update',
      public: true,
      private: true,
    });
    expect(otherFix.status).toBe(200);
    expect((await client(server, forkToken).post('/api/sessions/default/seek', { at })).status).toBe(403);
    expect((await client(server, token).post(`/api/sessions/${id}/clock`, { action: 'step', ms: MINUTE })).status).toBe(
      403,
    );
    expect(
      (await client(server, forkToken).post(`/api/sessions/${id}/clock`, { action: 'step', ms: 20 * MINUTE })).status,
    ).toBe(200);
    expect(fork.sim.snapshot().endpoint.endpointPublicAccess).toBe(true);
    expect(server.defaultSession.logHash()).toBe(originalHash);
    expect(server.defaultSession.sim.now()).toBe(originalNow);
    expect(server.defaultSession.sim.snapshot().endpoint.endpointPublicAccess).toBe(false);
  });

  it('forks at now when no moment is given, also behind the head after a seek (the redo is not inherited)', async () => {
    const server = await startServer({ seed: 4 });
    servers.push(server);
    const token = server.defaultSession.token;
    const { post } = client(server, token);
    const commandAtMs = await playLesson(server, token);

    const atNow = await post('/api/sessions/default/fork', {});
    expect(atNow.status).toBe(201);
    const head = server.store.get(atNow.body.id as string);
    expect(head?.sim.now()).toBe(server.defaultSession.sim.now());
    expect(head?.logHash()).toBe(server.defaultSession.logHash());

    expect((await post('/api/sessions/default/seek', { at: commandAtMs - MINUTE })).status).toBe(200);
    const behind = await post('/api/sessions/default/fork', {});
    expect(behind.status).toBe(201);
    const fork = server.store.get(behind.body.id as string);
    expect(fork?.sim.now()).toBe(commandAtMs - MINUTE);
    expect(fork?.logHash()).toBe(server.defaultSession.logHash());
    // Stepping the fork past the original's command time does not redo the command: it is not in its past.
    await client(server, behind.body.token as string).post(`/api/sessions/${fork?.id}/clock`, {
      action: 'step',
      ms: 10 * MINUTE,
    });
    expect(fork?.sim.snapshot().endpoint.endpointPrivateAccess).toBe(false);
    expect(fork?.timelineInfo().endMs).toBe(commandAtMs + 9 * MINUTE);
  });

  it('survives a restart like any session: same log, same token, and it still seeks back into its inherited past', async () => {
    const first = await startServer({ seed: 5 });
    const dataDir = first.dataDir;
    const token = first.defaultSession.token;
    const commandAtMs = await playLesson(first, token);
    const forked = await client(first, token).post('/api/sessions/default/fork', { at: commandAtMs + 5 * MINUTE });
    const id = forked.body.id as string;
    const forkToken = forked.body.token as string;
    const { post } = client(first, forkToken);
    expect((await post(`/api/sessions/${id}/clock`, { action: 'step', ms: 20 * MINUTE })).status).toBe(200);
    expect(
      (await post(`/api/sessions/${id}/commands`, { type: 'endpoint.update', public: true, private: true })).status,
    ).toBe(200);
    const hash = first.store.get(id)?.logHash();
    const timeline = first.store.get(id)?.timelineInfo();
    await first.app.close();
    expect(readdirSync(join(dataDir, 'sessions'))).toContain(`${id}.jsonl`);
    // As after a crash (no checkpoint written at shutdown): the fork's journal alone brings it back.
    rmSync(join(dataDir, 'sessions', `${id}.checkpoint.json`));

    const second = await startServer({ dataDir });
    servers.push(second);
    const restored = second.store.get(id);
    expect(restored?.logHash()).toBe(hash);
    expect(restored?.timelineInfo()).toEqual(timeline);
    expect(restored?.token).toBe(forkToken);
    const back = await client(second, forkToken).post(`/api/sessions/${id}/seek`, { at: commandAtMs - MINUTE });
    expect(back.status).toBe(200);
    expect(restored?.sim.snapshot().endpoint.endpointPrivateAccess).toBe(false);
  });

  it('refuses bad input with a reason and creates nothing', async () => {
    const server = await startServer({ seed: 1, maxSessions: 3 });
    servers.push(server);
    const token = server.defaultSession.token;
    const { post } = client(server, token);
    await post('/api/sessions/default/clock', { action: 'step', ms: 10 * MINUTE });
    const now = server.defaultSession.sim.now();
    const hash = server.defaultSession.logHash();
    const cases: [unknown, RegExp][] = [
      ['soon', /"at" must be a simulated time in ms since the epoch.*got "soon"/],
      [null, /"at" must be a simulated time/],
      [-5, /"at" -5 is outside the played time/],
      [now + 1, /is outside the played time of session "default"/],
    ];
    for (const [at, message] of cases) {
      const res = await post('/api/sessions/default/fork', { at });
      expect(res.status, JSON.stringify(at)).toBe(400);
      expect(res.body.error).toBe('InvalidParameter');
      expect(res.body.message).toMatch(message);
    }
    expect((await post('/api/sessions/default/fork', { at: now, extra: 1 })).status).toBe(400);
    expect((await post('/api/sessions/default/fork', {}, {})).status).toBe(401);
    expect((await post('/api/sessions/default/fork', {}, { authorization: 'Bearer nope' })).status).toBe(403);
    const unknown = await post('/api/sessions/nosuch/fork', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('SessionNotFound');
    expect(server.store.size).toBe(1);

    expect((await post('/api/sessions/default/fork', {})).status).toBe(201);
    expect((await post('/api/sessions/default/fork', {})).status).toBe(201);
    const full = await post('/api/sessions/default/fork', {});
    expect(full.status).toBe(429);
    expect(full.body.error).toBe('TooManySessions');
    expect(server.store.size).toBe(3);
    expect(readdirSync(join(server.dataDir, 'sessions')).filter((f) => f.endsWith('.jsonl'))).toHaveLength(3);
    expect(server.defaultSession.logHash()).toBe(hash);
    expect(server.defaultSession.sim.now()).toBe(now);
  });
});
