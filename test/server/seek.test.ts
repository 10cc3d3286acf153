import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StreamClient, startServer } from './harness';

const MINUTE = 60_000;

type Server = Awaited<ReturnType<typeof startServer>>;

function client(server: Server, token: string) {
  const headers = { authorization: `Bearer ${token}` };
  return {
    post: async (url: string, payload: object, auth: Record<string, string> = headers) => {
      const res = await server.app.inject({ method: 'POST', url, headers: auth, payload });
      return { status: res.statusCode, body: res.json() as Record<string, unknown> };
    },
    get: async (url: string) => {
      const res = await server.app.inject({ method: 'GET', url });
      return res.json() as Record<string, unknown>;
    },
  };
}

/** 30 min, the endpoint made private, 30 min more: the lockout lesson's shape. */
async function playLesson(server: Server, id: string, token: string) {
  const { post } = client(server, token);
  expect((await post(`/api/sessions/${id}/clock`, { action: 'step', ms: 30 * MINUTE })).status).toBe(200);
  const commandAtMs = server.store.get(id)?.sim.now() as number;
  const applied = await post(`/api/sessions/${id}/commands`, {
    type: 'endpoint.update',
    public: false,
    private: true,
  });
  expect(applied.status).toBe(200);
  expect((await post(`/api/sessions/${id}/clock`, { action: 'step', ms: 30 * MINUTE })).status).toBe(200);
  return commandAtMs;
}

describe('seek: a session goes back to any moment it has played', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  it('lands exactly where a fresh session doing the same up to that moment is, and redoes the future when the clock moves on', async () => {
    const server = await startServer({ seed: 7 });
    servers.push(server);
    const token = server.defaultSession.token;
    const { post, get } = client(server, token);
    const commandAtMs = await playLesson(server, 'default', token);
    const headHash = server.defaultSession.logHash();
    const headNow = server.defaultSession.sim.now();

    const before = commandAtMs - 1;
    const sought = await post('/api/sessions/default/seek', { at: before });
    expect(sought.status).toBe(200);
    expect(sought.body).toMatchObject({ nowMs: before, endMs: headNow, branches: [] });
    expect(server.defaultSession.sim.snapshot().endpoint.endpointPrivateAccess).toBe(false);

    // The same scenario and seed, with the clock simply moved to the same moment.
    const twin = server.store.create(server.defaultSession.scenario, server.defaultSession.seed);
    if ('error' in twin) throw new Error(twin.message);
    twin.sim.advanceTo(before);
    expect(server.defaultSession.logHash()).toBe(twin.logHash());

    // Moving the clock forward redoes the command at its time: back at the head, same log.
    expect((await post('/api/sessions/default/clock', { action: 'step', ms: headNow - before })).status).toBe(200);
    expect(server.defaultSession.sim.snapshot().endpoint.endpointPrivateAccess).toBe(true);
    expect(server.defaultSession.logHash()).toBe(headHash);
    expect((await get('/api/sessions/default/timeline')).branches).toEqual([]);
  });

  it('a new command after a seek back keeps the old future as a branch of its own', async () => {
    const server = await startServer({ seed: 3 });
    servers.push(server);
    const token = server.defaultSession.token;
    const { post, get } = client(server, token);
    const commandAtMs = await playLesson(server, 'default', token);
    const headNow = server.defaultSession.sim.now();
    expect((await post('/api/sessions/default/seek', { at: commandAtMs - 5 * MINUTE })).status).toBe(200);
    const otherFix = await post('/api/sessions/default/commands', {
      type: 'endpoint.update',
      public: true,
      private: true,
    });
    expect(otherFix.status).toBe(200);
    const timeline = await get('/api/sessions/default/timeline');
    expect(timeline.branches).toEqual([{ id: 1, fromMs: commandAtMs - 5 * MINUTE, endMs: headNow, changes: 1 }]);
    expect(timeline.endMs).toBe(commandAtMs - 5 * MINUTE);
    // The new line is the one played now: its end moved back, and seeking past it is refused.
    const past = await post('/api/sessions/default/seek', { at: headNow });
    expect(past.status).toBe(400);
    expect(past.body.message).toMatch(/outside the played time/);
  });

  it('refuses bad input with a reason and changes nothing', async () => {
    const server = await startServer({ seed: 1 });
    servers.push(server);
    const token = server.defaultSession.token;
    const { post } = client(server, token);
    await post('/api/sessions/default/clock', { action: 'step', ms: 10 * MINUTE });
    const hash = server.defaultSession.logHash();
    const now = server.defaultSession.sim.now();
    const cases: [unknown, RegExp][] = [
      ['soon', /"at" must be a simulated time in ms since the epoch.*got "soon"/],
      [null, /"at" must be a simulated time/],
      [-5, /"at" -5 is outside the played time/],
      [now + 1, /is outside the played time of session "default"/],
    ];
    for (const [at, message] of cases) {
      const res = await post('/api/sessions/default/seek', { at });
      expect(res.status, JSON.stringify(at)).toBe(400);
      expect(res.body.error).toBe('InvalidParameter');
      expect(res.body.message).toMatch(message);
    }
    expect((await post('/api/sessions/default/seek', {})).status).toBe(400);
    const anonymous = await post('/api/sessions/default/seek', { at: now - MINUTE }, {});
    expect(anonymous.status).toBe(401);
    const wrong = await post('/api/sessions/default/seek', { at: now - MINUTE }, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(403);
    expect(server.defaultSession.logHash()).toBe(hash);
    expect(server.defaultSession.sim.now()).toBe(now);
  });

  it('viewers follow: they get the whole state at the moment sought', async () => {
    const server = await startServer({ seed: 2, tickMs: 20 });
    servers.push(server);
    const token = server.defaultSession.token;
    const { post } = client(server, token);
    await post('/api/sessions/default/clock', { action: 'step', ms: 20 * MINUTE });
    const viewer = await StreamClient.connect(`${server.ws}/api/sessions/default/stream`);
    await viewer.next('snapshot');
    const at = server.defaultSession.sim.startMs + 5 * MINUTE;
    expect((await post('/api/sessions/default/seek', { at })).status).toBe(200);
    const snapshot = await viewer.next('snapshot', (m) => m.state.clock?.nowMs === at);
    expect(snapshot.state.lastSeq).toBe(server.defaultSession.sim.lastSeq);
    viewer.close();
  });

  it('a restart starts from the checkpoint on disk and keeps the line and its branches; a damaged checkpoint is set aside and the journal replayed', async () => {
    const first = await startServer({ seed: 5 });
    const dataDir = first.dataDir;
    const token = first.defaultSession.token;
    const commandAtMs = await playLesson(first, 'default', token);
    await client(first, token).post('/api/sessions/default/seek', { at: commandAtMs - MINUTE });
    await client(first, token).post('/api/sessions/default/clock', { action: 'step', ms: 2 * MINUTE });
    const hash = first.defaultSession.logHash();
    const timeline = first.defaultSession.timelineInfo();
    await first.app.close();
    expect(readdirSync(join(dataDir, 'sessions'))).toContain('default.checkpoint.json');

    const second = await startServer({ dataDir });
    expect(second.defaultSession.logHash()).toBe(hash);
    expect(second.defaultSession.timelineInfo()).toEqual(timeline);
    // The redo is still there: stepping on reaches the old head.
    await client(second, token).post('/api/sessions/default/clock', { action: 'step', ms: 60 * MINUTE });
    expect(second.defaultSession.timelineInfo().endMs).toBe(commandAtMs + 61 * MINUTE);
    const secondHash = second.defaultSession.logHash();
    await second.app.close();

    writeFileSync(join(dataDir, 'sessions', 'default.checkpoint.json'), '{"format":"eks-sim/checkpoint",');
    const warnings: string[] = [];
    const third = await startServer({ dataDir, warn: (m) => warnings.push(m) });
    servers.push(third);
    expect(warnings.join('\n')).toMatch(/checkpoint of default.jsonl is damaged \(default.checkpoint.json is not JSON/);
    expect(third.defaultSession.logHash()).toBe(secondHash);
  });
});
