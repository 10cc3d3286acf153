import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { StreamClient, startServer } from './harness';
import { kill9, serve, serveToExit } from './serve-child';

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

describe('one server per data directory', () => {
  it('a second eks-sim serve on the same directory exits 2 with one line naming the holder', async () => {
    const dataDir = tempDir('eks-sim-lock-');
    const first = await serve(dataDir);
    try {
      const second = await serveToExit(dataDir);
      expect(second.code).toBe(2);
      const lines = second.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`is in use by another eks-sim server (pid ${first.process.pid})`);
      expect((await fetch(`${first.base}/api/health`)).status).toBe(200);
    } finally {
      await kill9(first);
    }
    // Killed, the first server left its lock behind: the next one sees its pid is gone and takes over.
    expect(readFileSync(join(dataDir, 'lock'), 'utf8').trim()).toBe(String(first.process.pid));
    const third = await serve(dataDir);
    try {
      expect(third.token).toBe(first.token);
      expect(readFileSync(join(dataDir, 'lock'), 'utf8').trim()).toBe(String(third.process.pid));
    } finally {
      await kill9(third);
    }
  });

  it('a lock left by a dead process is taken over; a live holder in this process is refused', async () => {
    const dataDir = tempDir('eks-sim-stale-');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dataDir, 'lock'), `${dead.stdout}\n`);
    server = await startServer({ dataDir });
    expect(readFileSync(join(dataDir, 'lock'), 'utf8').trim()).toBe(String(process.pid));
    await expect(startServer({ dataDir })).rejects.toThrow(`(pid ${process.pid})`);
    await server.stop();
    server = null;
    expect(existsSync(join(dataDir, 'lock'))).toBe(false);
  });
});

describe('session lifecycle', () => {
  it('DELETE on the default session resets it: same id, token and seed, clock back at the start, viewers told', async () => {
    server = await startServer();
    const old = server.defaultSession;
    const auth = { authorization: `Bearer ${old.token}` };
    expect(old.step(3_600_000).ok).toBe(true);
    const viewer = await StreamClient.connect(`${server.ws}/api/sessions/default/stream`);
    await viewer.next('snapshot');
    const res = await server.app.inject({ method: 'DELETE', url: '/api/sessions/default', headers: auth });
    expect(res.statusCode).toBe(204);
    expect((await viewer.next('gone')).sessionId).toBe('default');
    const fresh = server.store.get('default');
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(old);
    expect(fresh?.token).toBe(old.token);
    expect(fresh?.seed).toBe(old.seed);
    expect(fresh?.sim.now()).toBe(fresh?.sim.startMs);
    const lines = readFileSync(join(server.dataDir, 'sessions', 'default.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1);
    const summary = await server.app.inject({ method: 'GET', url: '/api/sessions/default' });
    expect(summary.json().nowIso).toBe(new Date(fresh?.sim.startMs as number).toISOString());
  });

  it('a session with no viewer and no change for the idle timeout is closed and its journal archived', async () => {
    const warnings: string[] = [];
    server = await startServer({ idleTimeoutMs: 800, tickMs: 20, warn: (m) => warnings.push(m) });
    const create = async () =>
      (await server?.app.inject({ method: 'POST', url: '/api/sessions', payload: {} }))?.json() as { id: string };
    const idle = await create();
    const watched = await create();
    const busy = await create();
    const viewer = await StreamClient.connect(`${server.ws}/api/sessions/${watched.id}/stream`);
    await viewer.next('snapshot');
    const busySession = server.store.get(busy.id);
    for (let i = 0; i < 14; i++) {
      await new Promise((r) => setTimeout(r, 100));
      busySession?.step(1000);
    }
    expect(server.store.get(idle.id)).toBeUndefined();
    expect(server.store.get(watched.id)).toBeDefined();
    expect(server.store.get(busy.id)).toBeDefined();
    expect(server.store.get('default')).toBeDefined();
    expect(readdirSync(join(server.dataDir, 'sessions', 'archive'))).toEqual([`${idle.id}.jsonl`]);
    expect(warnings.join('\n')).toContain(`session ${idle.id} closed after 0.8 s with no viewer and no change`);
    expect((await server.app.inject({ method: 'GET', url: `/api/sessions/${idle.id}` })).statusCode).toBe(404);
    viewer.close();
    // Archived, it does not come back on a restart.
    const dataDir = server.dataDir;
    await server.app.close();
    server = await startServer({ dataDir });
    expect(server.store.get(idle.id)).toBeUndefined();
    expect(server.store.get(watched.id)).toBeDefined();
  });

  it('anonymous creation is capped per client address (429 naming the limit) and globally', async () => {
    server = await startServer({ maxSessionsPerAddress: 2, maxSessions: 5 });
    const create = (remoteAddress: string) =>
      server?.app.inject({ method: 'POST', url: '/api/sessions', payload: {}, remoteAddress }) as ReturnType<
        Server['app']['inject']
      >;
    expect((await create('10.0.0.1')).statusCode).toBe(201);
    expect((await create('10.0.0.1')).statusCode).toBe(201);
    const third = await create('10.0.0.1');
    expect(third.statusCode).toBe(429);
    expect(third.json()).toMatchObject({ error: 'TooManySessions' });
    expect(third.json().message).toContain('10.0.0.1 already has 2 open sessions (the limit per address)');
    expect((await create('10.0.0.2')).statusCode).toBe(201);
    expect((await create('10.0.0.3')).statusCode).toBe(201);
    const full = await create('10.0.0.4');
    expect(full.statusCode).toBe(429);
    expect(full.json().message).toContain('already runs 5 sessions (the limit)');
    // Deleting one frees its address's share.
    const mine = server.store.list().find((s) => s.createdBy === '10.0.0.1');
    await server.app.inject({
      method: 'DELETE',
      url: `/api/sessions/${mine?.id}`,
      headers: { authorization: `Bearer ${mine?.token}` },
    });
    expect((await create('10.0.0.1')).statusCode).toBe(201);
  });
});
