import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../packages/sim-core/src/engine/engine';
import { EtcdCluster, type SavedEtcdCluster } from '../../../packages/sim-core/src/etcd/etcd-cluster';

/**
 * Save and restore of the etcd cluster (docs/architecture.md, "Save and restore"): members'
 * terms, votes and logs, commits, keyed writes, the cluster machine with its pending election,
 * step-down and catch-up timers. Saved at any moment of a random schedule and restored, the
 * cluster continues exactly as the original: the same events, the same view.
 * Replay a failure with ETCD_SAVE_SEED and ETCD_SAVE_PATH (printed by fast-check).
 */

type Step =
  | { kind: 'crash' | 'restart' | 'remove'; member: number }
  | { kind: 'cut' | 'heal'; az: number }
  | { kind: 'write'; az: number; n: number }
  | { kind: 'add'; az: number }
  | { kind: 'rebuild'; member: number }
  | { kind: 'wait'; ms: number };

const AZS = ['az1', 'az2', 'az3'];

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('crash', 'restart', 'remove'), member: fc.nat(5) }),
  fc.record({ kind: fc.constantFrom('cut', 'heal'), az: fc.nat(2) }),
  fc.record({ kind: fc.constant('write'), az: fc.nat(2), n: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ kind: fc.constant('add'), az: fc.nat(2) }),
  fc.record({ kind: fc.constant('rebuild'), member: fc.nat(5) }),
  fc.record({ kind: fc.constant('wait'), ms: fc.constantFrom(0, 300, 1_000, 1_500, 2_000, 5_000, 30_000) }),
);

/** A cluster on its own engine, and what the control plane would do to it. */
function world(engine: Engine, saved?: { etcd: SavedEtcdCluster; cut: string[]; nextId: number; opId: number }) {
  const ctx = engine.context(() => {
    throw new Error('etcd applies no commands');
  });
  const cut = new Set<string>(saved?.cut);
  const etcd = new EtcdCluster(ctx, (a, b) => a === b || (!cut.has(a) && !cut.has(b)), saved?.etcd);
  let nextId = saved?.nextId ?? 4;
  let opId = saved?.opId ?? 0;
  /** What linearizable reads answered: the keyed writes' state, which the view does not show. */
  const reads: (string | null | undefined)[] = [];
  if (!saved) {
    for (const az of AZS) etcd.addMember(`etcd-${az.slice(2)}`, az, 'm5.large', { bootstrap: true });
    etcd.bootstrapLeader();
    etcd.reconcile();
  }
  const pick = (i: number) => etcd.all[i % Math.max(1, etcd.all.length)]?.id ?? 'none';
  const run = (step: Step): void => {
    if (step.kind === 'crash') etcd.crash(pick(step.member), 'test');
    else if (step.kind === 'restart') etcd.restart(pick(step.member));
    else if (step.kind === 'remove' && etcd.all.length > 2) etcd.remove(pick(step.member));
    else if (step.kind === 'cut' || step.kind === 'heal') {
      if (step.kind === 'cut') cut.add(AZS[step.az] as string);
      else cut.delete(AZS[step.az] as string);
      etcd.reconcile();
    } else if (step.kind === 'write') {
      etcd.commit(step.n);
      opId++;
      etcd.propose(AZS[step.az] as string, { opId, key: `k${opId % 2}`, value: `v${opId}` });
      reads.push(etcd.read(AZS[(step.az + 1) % 3] as string, `k${(opId + 1) % 2}`)?.value);
    } else if (step.kind === 'add') etcd.addMember(`etcd-${nextId++}`, AZS[step.az] as string, 'm5.large');
    else if (step.kind === 'rebuild') etcd.forceNewCluster([pick(step.member)]);
    else if (step.kind === 'wait') engine.clock.runUntil(engine.clock.now() + step.ms);
  };
  return { etcd, run, reads, save: () => ({ etcd: etcd.save(), cut: [...cut], nextId, opId }) };
}

function replayOptions(): { seed?: number; path?: string } {
  const seed = process.env.ETCD_SAVE_SEED;
  const path = process.env.ETCD_SAVE_PATH;
  return seed ? { seed: Number(seed), ...(path ? { path } : {}) } : {};
}

describe('etcd cluster save and restore', () => {
  it('a restored cluster continues exactly as the original: the same events and the same view', () => {
    const property = fc.property(
      fc.nat(1_000),
      fc.array(stepArb, { minLength: 1, maxLength: 30 }),
      fc.array(stepArb, { minLength: 1, maxLength: 30 }),
      (seed, before, after) => {
        const engine = new Engine(seed, 0);
        const original = world(engine);
        for (const step of before) original.run(step);
        const saved = JSON.parse(JSON.stringify({ engine: engine.save(), world: original.save() }));

        const engine2 = new Engine(seed, saved.engine.nowMs);
        engine2.beginRestore(saved.engine);
        const restored = world(engine2, saved.world);
        engine2.endRestore(saved.engine);

        const since = engine.log.since(0).length;
        const readsBefore = original.reads.length;
        for (const step of [...after, { kind: 'wait', ms: 60_000 } as const]) {
          original.run(step);
          restored.run(step);
        }
        expect(engine2.log.since(0).slice(since)).toEqual(engine.log.since(0).slice(since));
        expect(restored.etcd.view()).toEqual(original.etcd.view());
        expect(restored.reads).toEqual(original.reads.slice(readsBefore));
        expect(restored.etcd.phases.getSnapshot().value).toEqual(original.etcd.phases.getSnapshot().value);
      },
    );
    fc.assert(property, { numRuns: Number(process.env.ETCD_SAVE_RUNS ?? 60), verbose: true, ...replayOptions() });
  });

  it('a save taken while the majority elects keeps the drawn timeout: the leader is elected at the same moment', () => {
    const engine = new Engine(7, 0);
    const original = world(engine);
    original.run({ kind: 'wait', ms: 500 });
    original.run({ kind: 'crash', member: 0 });
    const { electionTimeoutMs } = original.etcd.phases.getSnapshot().context;
    const saved = JSON.parse(JSON.stringify({ engine: engine.save(), world: original.save() }));
    const engine2 = new Engine(7, saved.engine.nowMs);
    engine2.beginRestore(saved.engine);
    const restored = world(engine2, saved.world);
    engine2.endRestore(saved.engine);
    expect(restored.etcd.phases.getSnapshot().context.electionTimeoutMs).toBe(electionTimeoutMs);
    engine2.clock.runUntil(500 + electionTimeoutMs);
    const elected = engine2.log.since(0).filter((e) => e.type === 'etcd.leader-elected');
    expect(elected.map((e) => e.atMs)).toEqual([0, 500 + electionTimeoutMs]);
  });
});
