import {
  type Command,
  checkInvariants,
  createSimulation,
  type Scenario,
  scenarios,
  versionsOffered,
} from '@eks-sim/sim-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterNanoPerHour, instanceNanoPerHour, volumeNanoPerGibHour } from '../../packages/sim-core/src/cost/prices';
import { supportPhase } from '../../packages/sim-core/src/versions/calendar';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const seed = scenarios['seed-week1'] as Scenario;
const FIRST_START = Date.parse('2023-10-01T00:00:00Z');

/** A run: a start date, a version offered then, a policy, and user commands at random times. */
const runArb = fc
  .record({
    startDay: fc.integer({ min: 0, max: 1000 }),
    versionPick: fc.nat(),
    policy: fc.constantFrom<'STANDARD' | 'EXTENDED'>('EXTENDED', 'EXTENDED', 'STANDARD'),
    days: fc.integer({ min: 20, max: 160 }),
    commands: fc.array(
      fc.record({
        atMinute: fc.integer({ min: 1, max: 160 * 24 * 60 }),
        kind: fc.constantFrom('update-version', 'nodegroup-upgrade', 'policy'),
        minorDelta: fc.integer({ min: -2, max: 3 }),
        policy: fc.constantFrom('STANDARD', 'EXTENDED'),
      }),
      { maxLength: 5 },
    ),
  })
  .map((r) => {
    const startMs = FIRST_START + r.startDay * DAY + 9 * HOUR;
    const offered = versionsOffered(startMs);
    const version = offered[r.versionPick % offered.length] as string;
    return { ...r, startMs, version };
  });

describe('versions and cost, over random histories', () => {
  it('the control plane never skips or goes down a minor, auto-upgrades land on the boundary, and cost equals an independent hourly sum', () => {
    fc.assert(
      fc.property(runArb, (run) => {
        const sim = createSimulation({
          ...seed,
          start: new Date(run.startMs).toISOString(),
          // Idle: months of simulated time with the load model on its calm ticks.
          load: { profile: 'flat' },
          cluster: { ...seed.cluster, version: run.version, supportType: run.policy },
        });
        for (const c of run.commands) {
          const atMs = run.startMs + c.atMinute * 60_000 + 17_000;
          const minor = Number(run.version.split('.')[1]) + c.minorDelta;
          const command: Command =
            c.kind === 'update-version'
              ? { type: 'cluster.update-version', version: `1.${minor}` }
              : c.kind === 'nodegroup-upgrade'
                ? { type: 'nodegroup.upgrade', nodegroup: 'myeks-nodegroup' }
                : { type: 'cluster.update-upgrade-policy', supportType: c.policy };
          sim.schedule(atMs, command);
        }
        let independentNano = 0;
        let lastMinor = Number(run.version.split('.')[1]);
        const endMs = run.startMs + run.days * DAY;
        for (let t = run.startMs; t < endMs; t += HOUR) {
          sim.advanceTo(t);
          // The rate of this hour, computed from the world as it is, not from the cost domain.
          const cluster = sim.domains.cluster.cluster;
          if (cluster) {
            let phase = supportPhase(cluster.version, t);
            if (cluster.upgradePolicy.supportType === 'STANDARD') phase = 'standard';
            independentNano += clusterNanoPerHour(phase, t);
            const minor = Number(cluster.version.split('.')[1]);
            // Never down; several steps within one hour only when catching up on past boundaries.
            expect(minor).toBeGreaterThanOrEqual(lastMinor);
            lastMinor = minor;
          }
          for (const group of sim.domains.nodegroups.all) {
            for (const node of group.nodes) {
              if (node.state === 'terminated') continue;
              independentNano +=
                (instanceNanoPerHour('ap-northeast-2', group.instanceType) ?? 0) +
                (volumeNanoPerGibHour('ap-northeast-2') ?? 0) * group.volumeSizeGiB;
            }
          }
          if ((t - run.startMs) % (7 * DAY) === 0) expect(checkInvariants(sim)).toEqual([]);
        }
        // Every hour that began before the end is billed once time has moved into it.
        sim.advanceTo(endMs);
        const snap = sim.snapshot();
        expect(checkInvariants(snap)).toEqual([]);
        expect(snap.cost.ledger.totalNanoUsd).toBe(independentNano);
        for (const change of snap.versions.history) {
          expect(Number(change.toVersion.split('.')[1])).toBe(Number(change.fromVersion.split('.')[1]) + 1);
          if (change.trigger === 'automatic' && !change.deferredReason)
            expect(change.startedAtMs).toBe(change.boundaryMs);
        }
      }),
      { numRuns: 30, verbose: true },
    );
  });
});
