import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli';
import { startServer } from './harness';

const MAIN = `${REPO_ROOT}packages/server/src/cli/main.ts`;

interface Child {
  readonly process: ChildProcess;
  readonly base: string;
  readonly token: string;
  stderr: string;
}

/** Starts `eks-sim serve --port 0` as a child process and reads its URL and token from stdout. */
function serve(dataDir: string): Promise<Child> {
  return new Promise((resolve, reject) => {
    // One process (no tsx wrapper), so that SIGKILL hits the server itself, as `pnpm start` runs it.
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--port', '0', '--data-dir', dataDir], {
      cwd: REPO_ROOT,
    });
    let stdout = '';
    const state = { stderr: '' };
    child.stderr.on('data', (d) => {
      state.stderr += String(d);
    });
    child.stdout.on('data', (d) => {
      stdout += String(d);
      const base = /at (http:\/\/[^\s]+)\//.exec(stdout)?.[1];
      const token = /control token: (\S+)/.exec(stdout)?.[1];
      if (base && token) {
        resolve({
          process: child,
          base,
          token,
          get stderr() {
            return state.stderr;
          },
        } as Child);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${state.stderr}`)));
  });
}

async function call(child: Child, method: string, path: string, body?: unknown) {
  const res = await fetch(`${child.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${child.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function kill9(child: Child): Promise<void> {
  return new Promise((resolve) => {
    child.process.once('exit', () => resolve());
    child.process.kill('SIGKILL');
  });
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

  it('a corrupt line in the middle of a journal is refused with a warning, not replayed into a different history', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'eks-sim-corrupt-'));
    dirs.push(dataDir);
    const a = await startServer({ dataDir });
    await a.app.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: { seed: 9 },
    });
    const id = a.store.list().find((s) => s.id !== 'default')?.id as string;
    await a.stop();
    const path = join(dataDir, 'sessions', `${id}.jsonl`);
    const lines = readFileSync(path, 'utf8');
    appendFileSync(path, 'garbage\n{"kind":"time","atMs":0}\n');
    const warnings: string[] = [];
    const b = await startServer({ dataDir, warn: (m) => warnings.push(m) });
    try {
      expect(b.store.get(id)).toBeUndefined();
      expect(warnings.join('\n')).toMatch(/damaged/);
      expect(lines.length).toBeGreaterThan(0);
    } finally {
      await b.stop();
    }
  });
});
