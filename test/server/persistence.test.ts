import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from './harness';
import { kill9, type ServeChild, serve } from './serve-child';

async function call(child: ServeChild, method: string, path: string, body?: unknown) {
  const res = await fetch(`${child.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${child.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('persistence: journals and replay', () => {
  it('kill -9 mid-session and restart: same token, same logHash, nothing acknowledged lost', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'eks-sim-kill-'));
    dirs.push(dataDir);
    const first = await serve(dataDir);
    expect((await call(first, 'POST', '/api/sessions/default/clock', { action: 'step', ms: 600_000 })).status).toBe(
      200,
    );
    expect(
      (await call(first, 'POST', '/api/sessions/default/commands', { type: 'endpoint.update', private: true })).status,
    ).toBe(200);
    expect((await call(first, 'POST', '/api/sessions/default/exec', { line: 'export LESSON=one' })).status).toBe(200);
    await call(first, 'POST', '/api/sessions/default/clock', { action: 'step', ms: 45 * 60_000 });
    const other = await call(first, 'POST', '/api/sessions', { scenario: 'seed-week1', seed: 42 });
    const before = (await call(first, 'GET', '/api/sessions/default')).body;
    const otherBefore = (await call(first, 'GET', `/api/sessions/${other.body.id}`)).body;
    await kill9(first);

    // A write torn by the crash (never acknowledged) must not stop the restart.
    appendFileSync(join(dataDir, 'sessions', 'default.jsonl'), '{"kind":"command","atMs":17');
    const second = await serve(dataDir);
    try {
      expect(second.token).toBe(first.token);
      const after = (await call(second, 'GET', '/api/sessions/default')).body;
      expect(after.logHash).toBe(before.logHash);
      expect(after.nowIso).toBe(before.nowIso);
      const otherAfter = (await call(second, 'GET', `/api/sessions/${other.body.id}`)).body;
      expect(otherAfter.logHash).toBe(otherBefore.logHash);
      expect(second.stderr).toMatch(/incomplete or corrupt/);
      // The torn line was cut off: the next change journals cleanly and survives another restart.
      expect((await call(second, 'POST', '/api/sessions/default/clock', { action: 'step', ms: 1000 })).status).toBe(
        200,
      );
      const lines = readFileSync(join(dataDir, 'sessions', 'default.jsonl'), 'utf8')
        .trim()
        .split('\n');
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    } finally {
      await kill9(second);
    }
  });

  it('a server rebuilt from the data directory replays commands, shell lines and clock steps to the same log', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'eks-sim-replay-'));
    dirs.push(dataDir);
    const a = await startServer({ dataDir });
    const headers = { authorization: `Bearer ${a.defaultSession.token}` };
    const post = (url: string, payload: object) => a.app.inject({ method: 'POST', url, headers, payload });
    await post('/api/sessions/default/clock', { action: 'speed', speed: 5000 });
    await post('/api/sessions/default/clock', { action: 'play' });
    await new Promise((r) => setTimeout(r, 400));
    await post('/api/sessions/default/commands', {
      type: 'endpoint.update',
      public: true,
      publicAccessCidrs: ['203.0.113.0/24'],
    });
    await new Promise((r) => setTimeout(r, 300));
    await post('/api/sessions/default/exec', { line: 'aws eks list-clusters' });
    await post('/api/sessions/default/clock', { action: 'pause' });
    const hash = a.defaultSession.logHash();
    const lastSeq = a.defaultSession.sim.lastSeq;
    const now = a.defaultSession.sim.now();
    await a.stop();

    const b = await startServer({ dataDir });
    try {
      expect(b.restored).toBe(1);
      expect(b.defaultSession.sim.lastSeq).toBe(lastSeq);
      expect(b.defaultSession.sim.now()).toBe(now);
      expect(b.defaultSession.logHash()).toBe(hash);
      expect(b.defaultSession.playback).toEqual({ playing: false, speed: 5000 });
    } finally {
      await b.stop();
    }
  });
});
