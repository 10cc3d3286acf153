import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli';
import { startServer } from './harness';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * A data directory whose default journal holds: 1 header, 2 a clock step, 3 a command,
 * 4 another clock step, 5 the shutdown checkpoint. Returns the log hash after line 3, which
 * is what a session resumed from lines 1-3 must show.
 */
async function journalledDataDir(): Promise<{
  dataDir: string;
  path: string;
  lines: string[];
  hashAfterLine3: string;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eks-sim-damage-'));
  dirs.push(dataDir);
  const server = await startServer({ dataDir });
  const headers = { authorization: `Bearer ${server.defaultSession.token}` };
  const post = (url: string, payload: object) => server.app.inject({ method: 'POST', url, headers, payload });
  expect((await post('/api/sessions/default/clock', { action: 'step', ms: 600_000 })).statusCode).toBe(200);
  expect((await post('/api/sessions/default/commands', { type: 'endpoint.update', private: true })).statusCode).toBe(
    200,
  );
  const hashAfterLine3 = server.defaultSession.logHash();
  expect((await post('/api/sessions/default/clock', { action: 'step', ms: 3_600_000 })).statusCode).toBe(200);
  await server.stop();
  const path = join(dataDir, 'sessions', 'default.jsonl');
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  expect(lines).toHaveLength(5);
  return { dataDir, path, lines, hashAfterLine3 };
}

/** Starts a server on `dataDir`, collecting warnings. */
async function restart(dataDir: string) {
  const warnings: string[] = [];
  const server = await startServer({ dataDir, warn: (m) => warnings.push(m) });
  return { server, warnings };
}

describe('start-up serves whatever the state of a journal', () => {
  it('a damaged middle line: set aside, one warning naming line 4, the session resumes from lines 1-3', async () => {
    const { dataDir, path, lines, hashAfterLine3 } = await journalledDataDir();
    writeFileSync(path, [...lines.slice(0, 3), '{"kind":"time","at', ...lines.slice(4)].join('\n') + '\n');
    const { server, warnings } = await restart(dataDir);
    try {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /default\.jsonl is damaged at line 4 \(not JSON\); moved it to default\.jsonl\.damaged-1/,
      );
      expect(warnings[0]).toContain('resumes from the 2 entries before it');
      expect(server.defaultSession.logHash()).toBe(hashAfterLine3);
      expect(server.defaultSession.token).toBe(JSON.parse(lines[0] as string).token);
      expect(readFileSync(`${path}.damaged-1`, 'utf8')).toContain('{"kind":"time","at\n');
      // The repaired journal holds the valid prefix and takes new entries after it.
      const stepped = await server.app.inject({
        method: 'POST',
        url: '/api/sessions/default/clock',
        headers: { authorization: `Bearer ${server.defaultSession.token}` },
        payload: { action: 'step', ms: 1000 },
      });
      expect(stepped.statusCode).toBe(200);
      expect(readFileSync(path, 'utf8').split('\n').slice(0, 3)).toEqual(lines.slice(0, 3));
    } finally {
      await server.stop();
    }
  });

  it('valid JSON that is no entry ({"kind":"bogus"}) is damage too', async () => {
    const { dataDir, path, lines, hashAfterLine3 } = await journalledDataDir();
    writeFileSync(path, [...lines.slice(0, 3), '{"kind":"bogus"}', ...lines.slice(4)].join('\n') + '\n');
    const { server, warnings } = await restart(dataDir);
    try {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/damaged at line 4 \(no finite "atMs"\)/);
      expect(server.defaultSession.logHash()).toBe(hashAfterLine3);
    } finally {
      await server.stop();
    }
  });

  it('an empty journal: set aside, and the default session starts afresh', async () => {
    const { dataDir, path, lines } = await journalledDataDir();
    writeFileSync(path, '');
    const { server, warnings } = await restart(dataDir);
    try {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/damaged at line 1 \(the file is empty\).*the default session starts afresh/);
      expect(server.defaultSession.token).not.toBe(JSON.parse(lines[0] as string).token);
      expect(server.defaultSession.sim.now()).toBe(server.defaultSession.sim.startMs);
      expect(existsSync(`${path}.damaged-1`)).toBe(true);
      expect(JSON.parse(readFileSync(path, 'utf8').split('\n')[0] as string).kind).toBe('session');
    } finally {
      await server.stop();
    }
  });

  it('a torn header: set aside, and the default session starts afresh (no EEXIST)', async () => {
    const { dataDir, path, lines } = await journalledDataDir();
    writeFileSync(path, (lines[0] as string).slice(0, 40));
    const { server, warnings } = await restart(dataDir);
    try {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/damaged at line 1 \(line 1 is not JSON \(a torn header\?\)\)/);
      expect(server.defaultSession.token).not.toBe(JSON.parse(lines[0] as string).token);
    } finally {
      await server.stop();
    }
  });

  it('a last line with a time 1e300 ms on is past the horizon: damage, not a hang', async () => {
    const { dataDir, path, lines } = await journalledDataDir();
    writeFileSync(path, [...lines, '{"kind":"time","atMs":1e300}'].join('\n') + '\n');
    const { server, warnings } = await restart(dataDir);
    try {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/damaged at line 6 \(atMs 1e\+300 is more than 10 simulated years after/);
      expect(warnings[0]).toContain('resumes from the 4 entries before it');
      const lastTime = JSON.parse(lines[4] as string).atMs as number;
      expect(server.defaultSession.sim.now()).toBe(lastTime);
    } finally {
      await server.stop();
    }
  });

  it('a second damage to the same journal is set aside under the next free name', async () => {
    const { dataDir, path, lines } = await journalledDataDir();
    writeFileSync(path, [...lines.slice(0, 2), 'x', ...lines.slice(2)].join('\n') + '\n');
    await (await restart(dataDir)).server.stop();
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"kind":"playback","atMs":9e15,"playing":true,"speed":0}\n`);
    const { server, warnings } = await restart(dataDir);
    try {
      expect(warnings[0]).toMatch(/moved it to default\.jsonl\.damaged-2/);
      expect(
        readdirSync(join(dataDir, 'sessions'))
          .filter((f) => f.includes('damaged'))
          .sort(),
      ).toEqual(['default.jsonl.damaged-1', 'default.jsonl.damaged-2']);
    } finally {
      await server.stop();
    }
  });

  it('eks-sim serve with every kind of damage at once: serves, one warning line each, no stack trace', async () => {
    const { dataDir, path, lines } = await journalledDataDir();
    writeFileSync(path, [...lines, '{"kind":"time","atMs":1e300}'].join('\n') + '\n');
    const sessions = join(dataDir, 'sessions');
    const header = (id: string) => JSON.stringify({ ...JSON.parse(lines[0] as string), id });
    writeFileSync(join(sessions, 'a-middle.jsonl'), [header('a-middle'), 'garbage', lines[1]].join('\n') + '\n');
    writeFileSync(join(sessions, 'b-bogus.jsonl'), [header('b-bogus'), '{"kind":"bogus"}'].join('\n') + '\n');
    writeFileSync(join(sessions, 'c-empty.jsonl'), '');
    writeFileSync(join(sessions, 'd-torn.jsonl'), header('d-torn').slice(0, 30));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', `${REPO_ROOT}packages/server/src/cli/main.ts`, 'serve', '--port', '0', '--data-dir', dataDir],
      { cwd: REPO_ROOT },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const base = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout.on('data', (d) => {
        stdout += String(d);
        const url = /at (http:\/\/[^\s]+)\//.exec(stdout)?.[1];
        if (url) resolve(url);
      });
      exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    try {
      const health = await fetch(`${base}/api/health`);
      expect(health.status).toBe(200);
      const ids = ((await (await fetch(`${base}/api/sessions`)).json()) as { id: string }[]).map((s) => s.id).sort();
      expect(ids).toEqual(['a-middle', 'b-bogus', 'default']);
      const warnings = stderr.split('\n').filter((l) => l.includes('is damaged at line'));
      expect(warnings).toHaveLength(5);
      expect(stderr).not.toMatch(/\n\s+at |EEXIST|internal error/);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
