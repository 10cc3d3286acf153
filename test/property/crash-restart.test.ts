import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Command, createSimulation } from '@eks-sim/sim-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Journal, type JournalEntry } from '../../packages/server/src/journal';
import { logHash } from '../../packages/server/src/log-hash';
import { StreamClient } from '../server/harness';
import { kill9, type ServeChild, serve } from '../server/serve-child';

/**
 * kill -9 at random moments during bursts of commands (REST and WebSocket, clock paused and
 * playing), restart on the same data directory, and check that every acknowledged change is
 * in the journal and that the restarted session's log equals one uninterrupted replay of it.
 *
 * CI runs a few cases. A long campaign:
 *   EKS_SIM_CRASH_RUNS=100 npx vitest run test/property/crash-restart.test.ts
 * Replay a failure with the seed and path it prints:
 *   EKS_SIM_CRASH_SEED=<seed> EKS_SIM_CRASH_PATH=<path> npx vitest run test/property/crash-restart.test.ts
 */
const RUNS = Number(process.env.EKS_SIM_CRASH_RUNS ?? 2);

type Op =
  | {
      readonly kind: 'clock';
      readonly body: { action: 'step'; ms: number } | { action: 'play' | 'pause' } | { action: 'speed'; speed: number };
    }
  | { readonly kind: 'command'; readonly command: Command }
  | { readonly kind: 'exec'; readonly line: string };

interface Burst {
  readonly ops: readonly { op: Op; overWebSocket: boolean }[];
  readonly killAfterMs: number;
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc
    .integer({ min: 1000, max: 900_000 })
    .map((ms) => ({ kind: 'clock' as const, body: { action: 'step' as const, ms } })),
  fc.constantFrom('play' as const, 'pause' as const).map((action) => ({ kind: 'clock' as const, body: { action } })),
  fc
    .constantFrom(100, 5000, 100_000)
    .map((speed) => ({ kind: 'clock' as const, body: { action: 'speed' as const, speed } })),
  fc
    .boolean()
    .map((priv) => ({ kind: 'command' as const, command: { type: 'endpoint.update', public: true, private: priv } })),
  fc.integer({ min: 10, max: 3000 }).map((rps) => ({ kind: 'command' as const, command: { type: 'load.set', rps } })),
  fc
    .constantFrom('export LESSON=1', 'aws eks list-clusters', 'kubectl get nodes')
    .map((line) => ({ kind: 'exec' as const, line })),
);

// Not shrunk (see the property): each case starts several servers, so shrinking would take many minutes.
const burstArb: fc.Arbitrary<Burst> = fc.record({
  ops: fc.array(fc.record({ op: opArb, overWebSocket: fc.boolean() }), { minLength: 3, maxLength: 14 }),
  killAfterMs: fc.integer({ min: 0, max: 400 }),
});

interface Acked {
  readonly op: Op;
  /** For a clock step over REST: the simulated time it acknowledged. */
  readonly nowMs?: number | undefined;
}

/** Whether journal `entry` records acknowledged `acked`. */
function records(entry: JournalEntry, acked: Acked): boolean {
  const { op } = acked;
  if (op.kind === 'command')
    return entry.kind === 'command' && JSON.stringify(entry.command) === JSON.stringify(op.command);
  if (op.kind === 'exec') return entry.kind === 'exec' && entry.line === op.line;
  // A step acknowledged over REST says where the clock got to; the socket's answer does not.
  if (op.body.action === 'step')
    return entry.kind === 'time' && (acked.nowMs === undefined || entry.atMs === acked.nowMs);
  if (op.body.action === 'speed') return entry.kind === 'playback' && entry.speed === op.body.speed;
  return entry.kind === 'playback' && entry.playing === (op.body.action === 'play');
}

/** The acknowledged changes the journal lacks, in order (each must appear after the one before). */
function missing(entries: readonly JournalEntry[], acked: readonly Acked[]): Acked[] {
  const lost: Acked[] = [];
  let from = 0;
  for (const a of acked) {
    const at = entries.findIndex((e, i) => i >= from && records(e, a));
    if (at < 0) lost.push(a);
    else from = at + 1;
  }
  return lost;
}

/** The journal replayed in one go with sim-core: what an uninterrupted server would have. */
function uninterruptedHash(path: string): string {
  const { header, entries } = Journal.load(path);
  if (!header) throw new Error('the journal lost its header');
  const sim = createSimulation(header.scenario, { seed: header.seed });
  for (const entry of entries) {
    sim.advanceTo(entry.atMs);
    if (entry.kind === 'command') sim.apply(entry.command);
    if (entry.kind === 'exec') sim.exec(entry.line, entry.from === undefined ? {} : { from: entry.from });
  }
  return logHash(sim.events());
}

/** Sends one op over REST or the socket; the ack (ok or a refusal), or null when the server is gone. */
async function send(server: ServeChild, socket: StreamClient, op: Op, overWebSocket: boolean, n: number) {
  const path = op.kind === 'clock' ? 'clock' : op.kind === 'command' ? 'commands' : 'exec';
  const body = op.kind === 'clock' ? op.body : op.kind === 'command' ? op.command : { line: op.line };
  try {
    if (overWebSocket) {
      const id = `op-${n}`;
      socket.send(
        op.kind === 'clock'
          ? { type: 'clock', id, ...op.body }
          : op.kind === 'command'
            ? { type: 'command', id, command: op.command }
            : { type: 'exec', id, line: op.line },
      );
      const result = await socket.next('result', (m) => m.id === id);
      const data = result.data as { nowMs?: number } | undefined;
      return { ok: result.ok || op.kind === 'exec', nowMs: data?.nowMs };
    }
    const res = await fetch(`${server.base}/api/sessions/default/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { nowMs?: number };
    return { ok: res.status === 200, nowMs: json.nowMs };
  } catch {
    return null;
  }
}

const tally = { cases: 0, kills: 0, acknowledged: 0, lost: 0 };

describe('crash and restart', () => {
  it(
    'kill -9 during bursts of acknowledged changes loses none of them, and the log equals an uninterrupted run',
    async () => {
      const seed = process.env.EKS_SIM_CRASH_SEED;
      const path = process.env.EKS_SIM_CRASH_PATH;
      await fc.assert(
        fc.asyncProperty(fc.noShrink(fc.array(burstArb, { minLength: 1, maxLength: 3 })), async (bursts) => {
          tally.cases++;
          const dataDir = mkdtempSync(join(tmpdir(), 'eks-sim-crash-'));
          const acked: Acked[] = [];
          let server = await serve(dataDir);
          try {
            let n = 0;
            for (const burst of bursts) {
              const current = server;
              const socket = await StreamClient.connect(
                `${current.base.replace('http', 'ws')}/api/sessions/default/stream?token=${current.token}`,
              );
              const killed = new Promise<void>((resolve) =>
                setTimeout(() => kill9(current).then(resolve), burst.killAfterMs),
              );
              for (const { op, overWebSocket } of burst.ops) {
                const ack = await send(current, socket, op, overWebSocket, n++);
                if (ack === null) break;
                if (ack.ok) acked.push({ op, nowMs: overWebSocket ? undefined : ack.nowMs });
              }
              await killed;
              socket.close();
              tally.kills++;
              server = await serve(dataDir);
              expect(server.stderr).not.toMatch(/damaged|internal error|could not restore/);
            }
            // Stop the clock where it is (acknowledged, journalled), then compare.
            const paused = await fetch(`${server.base}/api/sessions/default/clock`, {
              method: 'POST',
              headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ action: 'pause' }),
            });
            expect(paused.status).toBe(200);
            const live = (await (await fetch(`${server.base}/api/sessions/default`)).json()) as { logHash: string };
            const journal = join(dataDir, 'sessions', 'default.jsonl');
            const lost = missing(Journal.load(journal).entries, acked);
            tally.acknowledged += acked.length;
            tally.lost += lost.length;
            expect(JSON.stringify(lost), 'acknowledged changes missing from the journal after kill -9').toBe('[]');
            expect(live.logHash).toBe(uninterruptedHash(journal));
          } finally {
            await kill9(server);
            rmSync(dataDir, { recursive: true, force: true });
          }
        }),
        {
          numRuns: RUNS,
          verbose: true,
          ...(seed ? { seed: Number(seed) } : {}),
          ...(path ? { path } : {}),
          reporter: (details) => {
            if (details.failed) {
              throw new Error(
                `${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}\nreplay: EKS_SIM_CRASH_SEED=${details.seed} EKS_SIM_CRASH_PATH=${details.counterexamplePath} npx vitest run test/property/crash-restart.test.ts`,
              );
            }
          },
        },
      );
      process.stdout.write(
        `crash-restart: ${tally.cases} cases, ${tally.kills} kills, ${tally.acknowledged} acknowledged changes, ${tally.lost} lost\n`,
      );
    },
    120_000 + RUNS * 60_000,
  );
});
