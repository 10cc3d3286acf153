import { describe, expect, it } from 'vitest';
import { type Actor, createActor } from 'xstate';
import { VirtualClock } from '../../../packages/sim-core/src/engine/clock';
import { nextBoundary } from '../../../packages/sim-core/src/versions/calendar';
import {
  AUTO_UPGRADE_RETRY_MS,
  lifecyclePhaseOf,
  versionLifecycleMachine,
} from '../../../packages/sim-core/src/versions/version-lifecycle-machine';

function lifecycle(
  phase: 'standard' | 'extended' | 'unsupported',
  policy: 'STANDARD' | 'EXTENDED',
  clock?: VirtualClock,
) {
  const actor = createActor(versionLifecycleMachine, {
    ...(clock ? { clock: clock.xstate } : {}),
    input: { phase, policy, clusterName: 'myeks', version: '1.28' },
  });
  actor.start();
  return actor;
}

/** The support region's state (the machine's other region waits for the calendar). */
const phase = (actor: Actor<typeof versionLifecycleMachine>) => lifecyclePhaseOf(actor.getSnapshot().value);

describe('the version lifecycle machine (docs/versions-and-cost.md)', () => {
  it('EXTENDED: standard support, then extended support, then an automatic upgrade is due', () => {
    const actor = lifecycle('standard', 'EXTENDED');
    expect(phase(actor)).toBe('STANDARD_SUPPORT');
    actor.send({ type: 'END_OF_STANDARD_SUPPORT' });
    expect(phase(actor)).toBe('EXTENDED_SUPPORT');
    actor.send({ type: 'END_OF_EXTENDED_SUPPORT' });
    expect(phase(actor)).toBe('AUTO_UPGRADE_DUE');
    actor.send({ type: 'VERSION_UPDATE_STARTED' });
    expect(phase(actor)).toBe('UPDATING');
    actor.send({ type: 'VERSION_UPDATE_SUCCESSFUL', phase: 'extended' });
    expect(phase(actor)).toBe('EXTENDED_SUPPORT');
  });

  it('STANDARD: the end of standard support makes the automatic upgrade due at once', () => {
    const actor = lifecycle('standard', 'STANDARD');
    actor.send({ type: 'END_OF_STANDARD_SUPPORT' });
    expect(phase(actor)).toBe('AUTO_UPGRADE_DUE');
    actor.send({ type: 'VERSION_UPDATE_STARTED' });
    actor.send({ type: 'VERSION_UPDATE_SUCCESSFUL', phase: 'standard' });
    expect(phase(actor)).toBe('STANDARD_SUPPORT');
  });

  it('a cluster adopted past its end of support starts with its upgrade due', () => {
    expect(phase(lifecycle('unsupported', 'EXTENDED'))).toBe('AUTO_UPGRADE_DUE');
    expect(phase(lifecycle('extended', 'STANDARD'))).toBe('AUTO_UPGRADE_DUE');
  });
});

describe('the version lifecycle machine waits for the calendar (AWS EKS User Guide, kubernetes-versions.html)', () => {
  it('at 1.28’s end of standard support it enters extended support and says so, at 00:00 UTC that day', () => {
    const start = Date.parse('2024-11-25T12:00:00Z');
    const clock = new VirtualClock(start);
    const actor = lifecycle('standard', 'EXTENDED', clock);
    const heard: string[] = [];
    actor.on('*', (e) => heard.push(e.type === 'auto-upgrade-due' ? e.type : `${e.type}: ${e.message}`));
    const boundary = nextBoundary('1.28', 'EXTENDED', start) ?? null;
    actor.send({ type: 'BOUNDARY_AHEAD', boundary, inMs: (boundary?.atMs ?? start) - start });
    clock.runUntil(Date.parse('2024-11-25T23:59:59Z'));
    expect(phase(actor)).toBe('STANDARD_SUPPORT');
    clock.runUntil(Date.parse('2024-11-26T00:00:00Z'));
    expect(phase(actor)).toBe('EXTENDED_SUPPORT');
    expect(heard).toEqual([
      'versions.extended-support-started: Kubernetes 1.28 reached end of standard support on 2024-11-26: myeks is now in extended support, billed at the extended rate',
    ]);
  });

  it('at the end of extended support it owes an upgrade; a busy cluster defers it and is asked again a minute later', () => {
    const start = Date.parse('2025-11-25T12:00:00Z');
    const clock = new VirtualClock(start);
    const actor = lifecycle('extended', 'EXTENDED', clock);
    const asked: { at: number; reason: string | undefined }[] = [];
    actor.on('auto-upgrade-due', (e) => asked.push({ at: clock.now(), reason: e.deferredReason }));
    const boundary = nextBoundary('1.28', 'EXTENDED', start) ?? null;
    actor.send({ type: 'BOUNDARY_AHEAD', boundary, inMs: (boundary?.atMs ?? start) - start });
    const atBoundary = Date.parse('2025-11-26T00:00:00Z');
    clock.runUntil(atBoundary);
    expect(phase(actor)).toBe('AUTO_UPGRADE_DUE');
    expect(asked).toEqual([{ at: atBoundary, reason: undefined }]);
    actor.send({ type: 'UPGRADE_DEFERRED', reason: 'cluster was UPDATING' });
    clock.runUntil(atBoundary + AUTO_UPGRADE_RETRY_MS);
    expect(asked.at(-1)).toEqual({ at: atBoundary + AUTO_UPGRADE_RETRY_MS, reason: 'cluster was UPDATING' });
    actor.send({ type: 'VERSION_UPDATE_STARTED', trigger: 'automatic' });
    clock.runUntil(atBoundary + 10 * AUTO_UPGRADE_RETRY_MS);
    expect(asked).toHaveLength(2);
    expect(phase(actor)).toBe('UPDATING');
    expect(actor.getSnapshot().context.lastDeferral).toBeUndefined();
  });

  it('a new boundary replaces the one waited for (a policy change re-reads the calendar)', () => {
    const start = Date.parse('2024-11-25T12:00:00Z');
    const clock = new VirtualClock(start);
    const actor = lifecycle('standard', 'EXTENDED', clock);
    const heard: string[] = [];
    actor.on('*', (e) => heard.push(e.type));
    const extended = nextBoundary('1.28', 'EXTENDED', start) ?? null;
    actor.send({ type: 'BOUNDARY_AHEAD', boundary: extended, inMs: (extended?.atMs ?? start) - start });
    actor.send({ type: 'BOUNDARY_AHEAD', boundary: null, inMs: 0 });
    clock.runUntil(Date.parse('2025-01-01T00:00:00Z'));
    expect(heard).toEqual([]);
    expect(phase(actor)).toBe('STANDARD_SUPPORT');
  });
});
