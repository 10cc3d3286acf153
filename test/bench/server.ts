import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildServer } from '@eks-sim/server';
import { scenarios } from '@eks-sim/sim-core';
import WebSocket, { WebSocketServer } from 'ws';
import { SessionStore } from '../../packages/server/src/session-store';
import { recentDeltaSizes } from '../../packages/server/src/stream';
import { REPO_ROOT } from '../helpers/cli';
import type { BenchLine } from './bench-line';

/** docs/bench.md: 300 viewers at 10 updates a second, through eks-sim's server and through a bare `ws` server. */
const VIEWERS = 300;
const UPDATES_PER_SECOND = 10;
const RUN_MS = 4000;
/** Alternating rounds, pooled: a busy machine slows both servers alike. */
const ROUNDS = 2;
const SIM_MS_PER_BEAT = 6000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function connectAll(url: string, onMessage: (data: Buffer) => void): Promise<WebSocket[]> {
  return Promise.all(
    Array.from(
      { length: VIEWERS },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(url);
          ws.on('message', (data) => onMessage(data as Buffer));
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        }),
    ),
  );
}

/** Latency from the start of a server beat to each viewer's receipt of that beat's delta. */
async function throughEksSim(): Promise<{ latencies: number[]; frames: Buffer[] }> {
  const server = await buildServer({
    dataDir: null,
    tickMs: 1000 / UPDATES_PER_SECOND,
    restRateLimit: { perSecond: 1e6, burst: 1e6 },
    // 300 viewers from one address: a class behind one NAT, not an attack.
    wsUpgradeRateLimit: { perSecond: 1e6, burst: 1e6 },
  });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (server.app.server.address() as { port: number }).port;
  let beatStart = 0;
  // Each beat moves the simulation 6 s (60x, the pace a class watches a cluster being built
  // at; the model's work, not the fan-out's), then measures from the moment the server
  // starts publishing: snapshot, diff, encode, send.
  const session = server.defaultSession;
  const tick = server.store.tick.bind(server.store);
  server.store.tick = (now: number) => {
    session.sim.advance(SIM_MS_PER_BEAT);
    beatStart = performance.now();
    tick(now);
  };
  const latencies: number[] = [];
  const frames: Buffer[] = [];
  let measuring = false;
  const sockets = await connectAll(`ws://127.0.0.1:${port}/api/sessions/default/stream`, (data) => {
    if (!measuring) return;
    const now = performance.now();
    // Deltas only: "delta" is the first key's value, so a prefix check avoids parsing 300 times.
    if (data.subarray(0, 16).toString().includes('"delta"')) {
      latencies.push(now - beatStart);
      if (frames.length < 200 && frames.at(-1) !== data) frames.push(data);
    }
  });
  await new Promise((r) => setTimeout(r, 500));
  recentDeltaSizes.length = 0;
  measuring = true;
  await new Promise((r) => setTimeout(r, RUN_MS));
  measuring = false;
  for (const ws of sockets) ws.terminate();
  await server.app.close();
  return { latencies, frames };
}

/** The same frames, at the same rate, to the same number of viewers, from a bare `ws` server. */
async function throughBareWs(frames: Buffer[]): Promise<number[]> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const port = (wss.address() as { port: number }).port;
  const latencies: number[] = [];
  let beatStart = 0;
  let measuring = false;
  const sockets = await connectAll(`ws://127.0.0.1:${port}`, () => {
    if (measuring) latencies.push(performance.now() - beatStart);
  });
  let i = 0;
  const timer = setInterval(() => {
    beatStart = performance.now();
    const frame = frames[i++ % frames.length] as Buffer;
    for (const client of wss.clients) client.send(frame, { binary: false });
  }, 1000 / UPDATES_PER_SECOND);
  await new Promise((r) => setTimeout(r, 500));
  measuring = true;
  await new Promise((r) => setTimeout(r, RUN_MS));
  measuring = false;
  clearInterval(timer);
  for (const ws of sockets) ws.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  return latencies;
}

/** Wall ms from spawning the server process to its printing that it listens (median of 3). */
async function startTime(): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'eks-sim-bench-'));
    const t0 = performance.now();
    // As `pnpm start` runs it: plain node on the launcher, which runs the esbuild bundle.
    const child = spawn(
      process.execPath,
      [`${REPO_ROOT}packages/server/launch.mjs`, 'serve', '--port', '0', '--data-dir', dataDir],
      { cwd: REPO_ROOT },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        if (String(d).includes('eks-sim is serving')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    runs.push(performance.now() - t0);
    await new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    rmSync(dataDir, { recursive: true, force: true });
  }
  return percentile(runs, 50);
}

/** Sessions in the load and restart measurements (the server's default limit). */
const LOADED_SESSIONS = 50;
const DAY_MS = 24 * 3600 * 1000;

interface Served {
  readonly child: ChildProcess;
  readonly base: string;
  readonly token: string;
}

/** `eks-sim serve` on `dataDir` as `pnpm start` runs it, with room for every session from one address. */
async function serveProcess(dataDir: string): Promise<Served & { startedMs: number }> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      `${REPO_ROOT}packages/server/launch.mjs`,
      'serve',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--max-sessions',
      String(LOADED_SESSIONS),
      '--max-sessions-per-address',
      String(LOADED_SESSIONS),
    ],
    { cwd: REPO_ROOT },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  return await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += String(d);
      const base = /at (http:\/\/[^\s]+)\//.exec(stdout)?.[1];
      const token = /control token: (\S+)/.exec(stdout)?.[1];
      if (base && token) resolve({ child, base, token, startedMs: performance.now() - t0 });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function post(served: Served, path: string, token: string, body: object): Promise<Record<string, unknown>> {
  const res = await fetch(`${served.base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** The default session and 49 more, as `{ id, token }`. */
async function fillSessions(served: Served): Promise<{ id: string; token: string }[]> {
  const sessions = [{ id: 'default', token: served.token }];
  while (sessions.length < LOADED_SESSIONS) {
    const created = await post(served, '/api/sessions', '', { seed: sessions.length });
    sessions.push({ id: created.id as string, token: created.token as string });
  }
  return sessions;
}

/** Sequential `GET /api/health` for `ms` of wall time, 20 ms apart: each one's latency. */
async function sampleHealth(base: string, ms: number): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/health`);
    await res.arrayBuffer();
    latencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return latencies;
}

/**
 * `/api/health` latency (p99, ms) while 50 sessions play at the top speed: the server shares
 * its CPU among them and must stay responsive. Sequential requests from another process; the
 * same with every session paused goes to stderr, as the machine's own floor.
 */
async function healthUnderLoad(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eks-sim-bench-load-'));
  const served = await serveProcess(dataDir);
  try {
    const sessions = await fillSessions(served);
    const paused = await sampleHealth(served.base, 3000);
    for (const s of sessions) {
      await post(served, `/api/sessions/${s.id}/clock`, s.token, { action: 'speed', speed: 100_000 });
      await post(served, `/api/sessions/${s.id}/clock`, s.token, { action: 'play' });
    }
    await new Promise((r) => setTimeout(r, 1000));
    const playing = await sampleHealth(served.base, 6000);
    process.stderr.write(
      `bench: server: /api/health with ${LOADED_SESSIONS} sessions at 100000x: ${playing.length} requests, p50 ${round(percentile(playing, 50))} ms, p99 ${round(percentile(playing, 99))} ms (all paused: p50 ${round(percentile(paused, 50))}, p99 ${round(percentile(paused, 99))} ms)\n`,
    );
    return percentile(playing, 99);
  } finally {
    await stopProcess(served.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Wall ms from spawning the server to its serving again, with 50 journals of one simulated day each (median of 3). */
async function restartTime(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eks-sim-bench-restart-'));
  try {
    const first = await serveProcess(dataDir);
    for (const s of await fillSessions(first)) {
      await post(first, `/api/sessions/${s.id}/clock`, s.token, { action: 'step', ms: DAY_MS });
    }
    await stopProcess(first.child);
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const again = await serveProcess(dataDir);
      runs.push(again.startedMs);
      await stopProcess(again.child);
    }
    return percentile(runs, 50);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** docs/bench.md: seeks and forks to random moments of a 24 h `az-outage` session (seed 7). */
const TIME_TRAVEL_SEEKS = 30;
const TIME_TRAVEL_FORKS = 10;

/**
 * Seeks (median ms), forks with their journals on disk (median ms) and the size of the
 * session's checkpoints (median bytes each adds) on one 24 h `az-outage` session; the random
 * moments come from a fixed seed, so every run seeks to the same ones.
 */
function timeTravel(): Pick<BenchLine, 'seekMs' | 'forkMs' | 'checkpointBytes'> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eks-sim-bench-fork-'));
  const store = new SessionStore({ dataDir, maxSessions: 10, warn: (m) => process.stderr.write(`bench: ${m}\n`) });
  try {
    const session = store.create(scenarios['az-outage'] as NonNullable<(typeof scenarios)['az-outage']>, 7);
    if ('error' in session) throw new Error(session.message);
    const stepped = session.step(DAY_MS);
    if (!stepped.ok) throw new Error(stepped.message);
    const { startMs } = session.sim;
    let state = 7;
    const randomMoment = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return startMs + Math.floor((state / 2 ** 32) * DAY_MS);
    };
    const seeks: number[] = [];
    for (let i = 0; i < TIME_TRAVEL_SEEKS; i++) {
      const at = randomMoment();
      const began = performance.now();
      const sought = session.seek(at);
      seeks.push(performance.now() - began);
      if (!sought.ok) throw new Error(sought.message);
    }
    const forks: number[] = [];
    for (let i = 0; i < TIME_TRAVEL_FORKS; i++) {
      const at = randomMoment();
      const began = performance.now();
      const forked = store.fork(session, at);
      forks.push(performance.now() - began);
      if ('status' in forked || !forked.ok) throw new Error(forked.message);
      store.delete(forked.value.id);
    }
    const costs = session.checkpointCosts();
    process.stderr.write(
      `bench: server: 24 h az-outage: ${costs.count} checkpoints kept, a whole save is ${costs.saveBytes} bytes\n`,
    );
    return {
      seekMs: round(percentile(seeks, 50)),
      forkMs: round(percentile(forks, 50)),
      checkpointBytes: percentile(costs.bytes, 50),
    };
  } finally {
    store.closeAll();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function measureServer(): Promise<Partial<BenchLine>> {
  const eks = { latencies: [] as number[], frames: [] as Buffer[] };
  const raw: number[] = [];
  const sizes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which server goes first, so neither always runs on a warmer (or busier) process.
    if (round % 2 === 1) raw.push(...(await throughBareWs(eks.frames)));
    const run = await throughEksSim();
    eks.latencies.push(...run.latencies);
    if (round === 0) eks.frames = run.frames;
    sizes.push(...recentDeltaSizes);
    if (round % 2 === 0) raw.push(...(await throughBareWs(eks.frames)));
  }
  const deltaBytesMedian = percentile(sizes, 50);
  const startMs = await startTime();
  const healthP99UnderLoadMs = round(await healthUnderLoad());
  const restartMs = Math.round(await restartTime());
  const travel = timeTravel();
  process.stderr.write(
    `bench: server: ${eks.latencies.length} deltas received (eks-sim), ${raw.length} (bare ws); p50 ${round(percentile(eks.latencies, 50))} vs ${round(percentile(raw, 50))} ms\n`,
  );
  return {
    wsFanoutP99Ms: round(percentile(eks.latencies, 99)),
    wsRawP99Ms: round(percentile(raw, 99)),
    deltaBytesMedian,
    startMs: Math.round(startMs),
    healthP99UnderLoadMs,
    restartMs,
    ...travel,
  };
}
