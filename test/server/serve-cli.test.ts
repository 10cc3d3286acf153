import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers/cli';
import { startServer } from './harness';

const MAIN = `${REPO_ROOT}packages/server/src/cli/main.ts`;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

describe('eks-sim serve', () => {
  it('refuses bad flags with a one-line usage error and exit code 2', () => {
    for (const [args, words] of [
      [['serve', '--port', 'abc'], '--port'],
      [['serve', '--scenario', 'no-such-scenario'], 'no-such-scenario'],
      [['serve', '--seed', '-1'], '--seed'],
      [['serve', '--allow-origin', 'evil'], '--allow-origin'],
      [['serve', '--bogus'], 'bogus'],
      [['serve', '--https-port', '70000'], '--https-port'],
      [['serve', '--port', '65500'], '--https-port'],
      [['serve', '--client-host', 'laptop'], '--client-host'],
      [['serve', '--unreachable-timeout', 'soon'], '--unreachable-timeout'],
    ] as const) {
      const result = runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(words);
    }
  });

  it('prints the URL, viewer URL and token, and on SIGTERM shuts down cleanly with the clock position journalled', async () => {
    const dataDir = tempDir('eks-sim-serve-');
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--port', '0', '--data-dir', dataDir], {
      cwd: REPO_ROOT,
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += String(d);
        if (stdout.includes('journal:')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    expect(stdout).toMatch(/eks-sim is serving seed-week1 \(seed \d+\) at http:\/\/127\.0\.0\.1:\d+\//);
    expect(stdout).toMatch(/viewer URL: +http:\/\/127\.0\.0\.1:\d+\/\?session=default\n/);
    const token = /control token: (\S+)/.exec(stdout)?.[1] as string;
    expect(token.length).toBeGreaterThan(16);
    expect(stdout).toContain(`&token=${token}`);
    expect(stdout).toMatch(/Kubernetes: +https:\/\/127\.0\.0\.1:\d+ \(myeks's API server; CA: .*ca\.crt\)\n/);
    expect(stdout).toContain(
      `aws eks update-kubeconfig --region ap-northeast-2 --name myeks --endpoint-url http://127.0.0.1:`,
    );
    expect(readFileSync(join(dataDir, 'tls', 'ca.crt'), 'utf8')).toContain('BEGIN CERTIFICATE');
    const code = await new Promise<string>((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', (c, signal) => resolve(`${c} ${signal}`));
      child.kill('SIGTERM');
    });
    expect(`${code} ${stderr}`).toBe('0 null eks-sim: SIGTERM: shutting down (journals are saved)\n');
    const journal = readFileSync(join(dataDir, 'sessions', 'default.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(JSON.parse(journal.at(-1) as string).kind).toBe('time');
  });
});

describe('the page at /', () => {
  it('serves the built viz, its assets with their content type, and nothing outside the folder', async () => {
    const viz = tempDir('eks-sim-viz-');
    mkdirSync(join(viz, 'assets'));
    writeFileSync(join(viz, 'index.html'), '<!doctype html><title>eks-sim</title>');
    writeFileSync(join(viz, 'assets', 'main-abc.js'), 'console.log(1)');
    writeFileSync(join(viz, '..', 'secret.txt'), 'TOP-SECRET-CONTENT');
    const server = await startServer({ vizDir: viz });
    try {
      const page = await server.app.inject({ method: 'GET', url: '/?session=default' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      const asset = await server.app.inject({ method: 'GET', url: '/assets/main-abc.js' });
      expect(asset.headers['content-type']).toContain('javascript');
      expect(asset.headers['cache-control']).toContain('immutable');
      for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/nope.js']) {
        const res = await server.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(404);
        expect(res.body).not.toContain('TOP-SECRET-CONTENT');
      }
    } finally {
      await server.stop();
      rmSync(join(viz, '..', 'secret.txt'), { force: true });
    }
  });

  it('without a build, / explains how to build the page', async () => {
    const server = await startServer({ vizDir: null });
    try {
      const page = await server.app.inject({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('vite build packages/viz');
    } finally {
      await server.stop();
    }
  });
});
