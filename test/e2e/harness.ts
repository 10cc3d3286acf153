/**
 * Browser-test harness: builds the page when its sources are newer than the build, starts the
 * real `eks-sim serve` (as `pnpm start` does) on a free port with a temporary data directory,
 * and launches Debian's Chromium through playwright-core. Without Chromium the tests skip with
 * a message, unless EKS_SIM_REQUIRE_BROWSER is set (CI), where they fail.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { REPO_ROOT } from '../helpers/cli';

export const CHROMIUM = process.env.EKS_SIM_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const VIZ = join(REPO_ROOT, 'packages/viz');
const BUILT_PAGE = join(VIZ, 'dist/index.html');

/** Whether the browser tests can run here; prints why not when they cannot. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.EKS_SIM_REQUIRE_BROWSER) {
    throw new Error(`EKS_SIM_REQUIRE_BROWSER is set but ${CHROMIUM} is missing: apt-get install -y chromium`);
  }
  console.warn(`browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium, or set EKS_SIM_CHROMIUM)`);
  return false;
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Builds packages/viz/dist unless it is newer than every source of the page. */
export function buildPageIfStale(): void {
  if (existsSync(BUILT_PAGE)) {
    const built = statSync(BUILT_PAGE).mtimeMs;
    const sources = Math.max(
      newestMtime(join(VIZ, 'src')),
      newestMtime(join(VIZ, 'index.html')),
      newestMtime(join(REPO_ROOT, 'packages/protocol/src')),
    );
    if (built >= sources) return;
  }
  const result = spawnSync(join(REPO_ROOT, 'node_modules/.bin/vite'), ['build', 'packages/viz', '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
}

export interface RunningServer {
  readonly baseUrl: string;
  readonly token: string;
  readonly sessionId: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `eks-sim serve --port 0` and reads the URL and the control token it prints. */
export async function startServer(extraArgs: readonly string[] = []): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eks-sim-e2e-'));
  const child = spawn(
    join(REPO_ROOT, 'node_modules/.bin/tsx'),
    [join(REPO_ROOT, 'packages/server/src/cli/main.ts'), 'serve', '--port', '0', '--data-dir', dataDir, ...extraArgs],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const printed = await new Promise<{ baseUrl: string; token: string; sessionId: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`eks-sim serve did not start in 30 s:\n${stdout}\n${stderr}`)),
      30_000,
    );
    const check = () => {
      const url = /control URL:\s+(http:\/\/[^/\s]+)\/\?session=([^&\s]+)&token=(\S+)/.exec(stdout);
      if (url) {
        clearTimeout(timer);
        resolve({ baseUrl: url[1]!, sessionId: url[2]!, token: url[3]! });
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`eks-sim serve exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  return {
    ...printed,
    process: child,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
