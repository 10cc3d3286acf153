/**
 * The viz fields of the bench line (docs/bench.md):
 * - `vizBundleGzipBytes`: the built page (every file of packages/viz/dist: JS, CSS, HTML),
 *   gzipped file by file as a server would send them. Target ≤ 120 KB.
 * - `vizFrameMedianMs`: median wall ms the page spends redrawing one stream update (the
 *   picture, the charts, the calendar, the panels) in Chromium while the default session plays
 *   at 1000×, measured by the page itself (`window.eksSim.frameTimes`) over ~6 s.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { browserAvailable, launchBrowser, startServer } from '../e2e/harness';
import { REPO_ROOT } from '../helpers/cli';
import type { BenchLine } from './bench-line';

const DIST = join(REPO_ROOT, 'packages/viz/dist');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function buildPage(): void {
  const result = spawnSync(join(REPO_ROOT, 'node_modules/.bin/vite'), ['build', 'packages/viz', '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`vite build failed: ${result.stderr}`);
}

export function bundleGzipBytes(): number {
  return files(DIST).reduce((sum, path) => sum + gzipSync(readFileSync(path), { level: 9 }).length, 0);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function frameMedianMs(): Promise<number | null> {
  if (!browserAvailable()) return null;
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${server.baseUrl}/?session=${server.sessionId}&token=${server.token}`);
    await page.locator('svg.architecture [data-kind="apiserver"]').first().waitFor({ timeout: 15_000 });
    await page.evaluate(`(async () => {
      await window.eksSim.send({ type: 'clock', action: 'speed', speed: 1000 });
      await window.eksSim.send({ type: 'clock', action: 'play' });
    })()`);
    await page.waitForTimeout(1000);
    const skip = (await page.evaluate('window.eksSim.frameTimes.length')) as number;
    await page.waitForTimeout(6000);
    const times = (await page.evaluate('Array.from(window.eksSim.frameTimes)')) as number[];
    const playing = times.slice(Math.min(skip, times.length));
    if (playing.length < 10) throw new Error(`only ${playing.length} frames drawn in 6 s at 1000×`);
    return Math.round(median(playing) * 100) / 100;
  } finally {
    await browser.close();
    await server.stop();
  }
}

export async function measureViz(): Promise<Partial<BenchLine>> {
  buildPage();
  const line: Partial<BenchLine> = { vizBundleGzipBytes: bundleGzipBytes() };
  try {
    line.vizFrameMedianMs = await frameMedianMs();
  } catch (error) {
    process.stderr.write(`bench: vizFrameMedianMs not measured: ${(error as Error).message}\n`);
  }
  return line;
}
