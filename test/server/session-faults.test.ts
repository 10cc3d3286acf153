import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamClient, startServer } from './harness';

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

/** A cluster.create whose tags nest 6000 arrays deep (as JSON text: the test's own stack could not encode it). */
const DEEP_CREATE = `{"type":"cluster.create","name":"deep","version":"1.29","tags":{"k":${'['.repeat(6000)}"x"${']'.repeat(6000)}}}`;

/** Makes room for a cluster.create: the scenario's cluster is deleted and gone. */
async function withoutCluster(s: Server): Promise<void> {
  const name = s.defaultSession.sim.scenario.cluster.name;
  expect(s.defaultSession.apply({ type: 'cluster.delete', name }).ok).toBe(true);
  expect(s.defaultSession.step(3_600_000).ok).toBe(true);
}

describe('a command is applied and journalled, or refused with nothing changed', () => {
  it('cluster.create with 6000-deep tags over REST: refused, nothing applied or journalled, the stream still streams', async () => {
    const warnings: string[] = [];
    server = await startServer({ warn: (m) => warnings.push(m) });
    await withoutCluster(server);
    const session = server.defaultSession;
    const before = {
      hash: session.logHash(),
      journal: readFileSync(join(server.dataDir, 'sessions', 'default.jsonl'), 'utf8'),
    };
    const res = await fetch(`${server.base}/api/sessions/default/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
      body: DEEP_CREATE,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).not.toMatch(/Maximum call stack/);
    expect(session.logHash()).toBe(before.hash);
    expect(session.sim.snapshot().cluster).toBeNull();
    expect(readFileSync(join(server.dataDir, 'sessions', 'default.jsonl'), 'utf8')).toBe(before.journal);
    const viewer = await StreamClient.connect(`${server.ws}/api/sessions/default/stream`);
    await viewer.next('snapshot');
    expect(session.step(60_000).ok).toBe(true);
    await viewer.next('delta');
    viewer.close();
    expect((await fetch(`${server.base}/api/health`)).status).toBe(200);
  });

  it('the same over a WebSocket frame: a refusal for that request, and the socket stays usable', async () => {
    server = await startServer({ bodyLimit: 1024 * 1024 });
    await withoutCluster(server);
    const session = server.defaultSession;
    const hash = session.logHash();
    const control = await StreamClient.connect(`${server.ws}/api/sessions/default/stream?token=${session.token}`);
    await control.next('snapshot');
    control.send(`{"type":"command","id":"deep","command":${DEEP_CREATE}}`);
    const reply = await control.nextOf(['result', 'error']);
    expect(reply.type === 'error' || (reply.type === 'result' && !reply.ok)).toBe(true);
    expect(reply).toMatchObject({ id: 'deep' });
    expect(JSON.stringify(reply)).not.toMatch(/Maximum call stack/);
    expect(session.logHash()).toBe(hash);
    control.send({ type: 'clock', id: 'step', action: 'step', ms: 1000 });
    expect(await control.next('result', (m) => m.id === 'step')).toMatchObject({ ok: true });
    control.close();
  });

  it('a command that throws half way (a model bug) is undone: the session is rebuilt from its journal', async () => {
    const warnings: string[] = [];
    server = await startServer({ warn: (m) => warnings.push(m) });
    const session = server.defaultSession;
    expect(session.step(600_000).ok).toBe(true);
    const hash = session.logHash();
    const nowMs = session.sim.now();
    const sim = session.sim;
    const realApply = sim.apply.bind(sim);
    sim.apply = (command) => {
      realApply(command);
      sim.advance(3_600_000);
      throw new TypeError('a bug in the model');
    };
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/sessions/default/commands',
      headers: { authorization: `Bearer ${session.token}` },
      payload: { type: 'endpoint.update', private: true },
    });
    expect(res.statusCode).toBe(500);
    expect(res.json().message).toMatch(/nothing was changed/);
    expect(res.json().message).not.toMatch(/a bug in the model/);
    expect(session.sim).not.toBe(sim);
    expect(session.logHash()).toBe(hash);
    expect(session.sim.now()).toBe(nowMs);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/applying endpoint\.update failed; rebuilt it from its journal/);
    expect(warnings[0]).toMatch(/TypeError: a bug in the model\n\s+at /);
    // The rebuilt session works as before.
    expect(session.apply({ type: 'endpoint.update', private: true }).ok).toBe(true);
  });
});

describe('a failure inside the server clock touches only its own session', () => {
  it('a snapshot that throws while publishing: logged once, that session rebuilt, others keep streaming', async () => {
    const warnings: string[] = [];
    server = await startServer({ tickMs: 20, warn: (m) => warnings.push(m) });
    const other = server.store.create(server.defaultSession.scenario, 5);
    if ('error' in other) throw new Error(other.message);
    const broken = await StreamClient.connect(`${server.ws}/api/sessions/default/stream`);
    const fine = await StreamClient.connect(`${server.ws}/api/sessions/${other.id}/stream`);
    await broken.next('snapshot');
    await fine.next('snapshot');
    const sim = server.defaultSession.sim;
    sim.snapshot = () => {
      throw new RangeError('Maximum call stack size exceeded');
    };
    server.defaultSession.step(60_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/session default: publishing to its viewers failed; rebuilt it from its journal/);
    expect(server.defaultSession.sim).not.toBe(sim);
    other.step(60_000);
    await fine.next('delta');
    // Rebuilt from its journal, the default session streams again.
    server.defaultSession.step(60_000);
    await broken.next('delta');
    expect(JSON.stringify(broken.messages)).not.toMatch(/Maximum call stack/);
    broken.close();
    fine.close();
  });

  it('a session that fails again after its rebuild is stopped: watched, not changed, and said so', async () => {
    const warnings: string[] = [];
    server = await startServer({ tickMs: 20, warn: (m) => warnings.push(m) });
    const session = server.defaultSession;
    const breakSim = () => {
      session.sim.advance = () => {
        throw new Error('timer bug');
      };
    };
    breakSim();
    session.setSpeed(1000);
    session.play();
    await new Promise((r) => setTimeout(r, 200));
    expect(warnings[0]).toMatch(/the clock failed; rebuilt it from its journal and paused it/);
    expect(session.playback.playing).toBe(false);
    breakSim();
    session.play();
    await new Promise((r) => setTimeout(r, 200));
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/failed again after a rebuild; the session is stopped/);
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/sessions/default/commands',
      headers: { authorization: `Bearer ${session.token}` },
      payload: { type: 'endpoint.update', private: true },
    });
    expect(res.json().error).toBe('SessionBroken');
    expect(res.json().message).toMatch(/DELETE it/);
    expect((await server.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });
});
