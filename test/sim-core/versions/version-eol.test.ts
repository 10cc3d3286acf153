import {
  checkInvariants,
  createSimulation,
  parseDuration,
  type Scenario,
  type Snapshot,
  scenarios,
} from '@eks-sim/sim-core';
import { beforeAll, describe, expect, it } from 'vitest';

// One 26-month run shared by the timeline checks (idle load keeps it fast).
let snap: Snapshot;
let eventTypes: { type: string; at: string; source: string }[];

beforeAll(() => {
  const scenario = scenarios['version-eol'] as Scenario;
  const sim = createSimulation(scenario);
  sim.advance(parseDuration(scenario.duration ?? '0') as number);
  snap = sim.snapshot();
  eventTypes = sim.events().map((e) => ({ type: e.type, at: new Date(e.atMs).toISOString(), source: e.source }));
});

describe('version-eol: the seed’s 1.28 cluster left alone from March 2024 to today', () => {
  it('runs from 2024-03-10 to 2026-11-25', () => {
    expect(snap.clock.iso).toBe('2026-11-25T09:00:00.000Z');
  });

  it('enters extended support at 00:00 UTC on 2024-11-26', () => {
    expect(eventTypes.find((e) => e.type === 'versions.extended-support-started')?.at).toBe('2024-11-26T00:00:00.000Z');
  });

  it('is upgraded automatically one minor at a time, exactly at each end of extended support', () => {
    expect(
      snap.versions.history.map((h) => [h.fromVersion, h.toVersion, h.trigger, h.startedAt, h.boundaryDate]),
    ).toEqual([
      ['1.28', '1.29', 'automatic', '2025-11-26T00:00:00.000Z', '2025-11-26'],
      ['1.29', '1.30', 'automatic', '2026-03-23T00:00:00.000Z', '2026-03-23'],
      ['1.30', '1.31', 'automatic', '2026-07-23T00:00:00.000Z', '2026-07-23'],
    ]);
    expect(snap.cluster?.version).toBe('1.31');
    expect(snap.versions.cluster).toMatchObject({
      phase: 'extended',
      lifecycleState: 'EXTENDED_SUPPORT',
      nextBoundary: { date: '2026-11-26', upgradeTo: '1.32' },
    });
  });

  it('leaves the nodes on 1.28, three minors behind: at the edge of the skew policy, with a warning each', () => {
    expect(snap.versions.nodes.length).toBeGreaterThanOrEqual(2);
    for (const node of snap.versions.nodes) {
      expect(node).toMatchObject({ kubeletVersion: '1.28', minorsBehind: 3, status: 'at-limit', flagged: false });
    }
    const warnings = eventTypes.filter((e) => e.type === 'versions.skew-warning');
    expect(warnings.length).toBe(snap.versions.nodes.length);
    expect(warnings.every((w) => w.at.startsWith('2026-07-23'))).toBe(true);
  });

  it('bills the control plane $0.10/h in standard support and $0.60/h after, as the price table says', () => {
    const standardHours = (Date.parse('2024-11-26T00:00:00Z') - Date.parse('2024-03-10T09:00:00Z')) / 3_600_000;
    expect(snap.cost.byPhase.standard).toBeCloseTo(standardHours * 0.1, 9);
    const extendedHours = (Date.parse('2026-11-25T09:00:00Z') - Date.parse('2024-11-26T00:00:00Z')) / 3_600_000;
    expect(snap.cost.byPhase.extended + snap.cost.byPhase.unsupported).toBeCloseTo(extendedHours * 0.6, 9);
    expect(snap.cost.byItem.cluster).toBeCloseTo(
      snap.cost.byPhase.standard + snap.cost.byPhase.extended + snap.cost.byPhase.unsupported,
      9,
    );
    expect(snap.cost.hourlyRateUsd).toBeCloseTo(0.6 + 2 * 0.052 + (60 * Math.round((0.0912 / 730) * 1e9)) / 1e9, 9);
  });

  it('one day later, the automatic upgrade to 1.32 leaves the 1.28 kubelets beyond the skew policy: flagged', () => {
    const scenario = scenarios['version-eol'] as Scenario;
    const sim = createSimulation(scenario);
    sim.advance((parseDuration(scenario.duration ?? '0') as number) + 86_400_000);
    const later = sim.snapshot();
    expect(later.cluster?.version).toBe('1.32');
    expect(later.versions.cluster?.lifecycleState).toBe('EXTENDED_SUPPORT');
    expect(later.versions.flaggedNodes).toBe(later.versions.nodes.length);
    expect(later.versions.nodes.every((n) => n.status === 'beyond-policy' && n.minorsBehind === 4)).toBe(true);
    expect(sim.events().filter((e) => e.type === 'versions.skew-violation').length).toBe(later.versions.nodes.length);
    // 1.32 left standard support on 2026-03-23: the cluster stays on the extended price.
    expect(later.cost.segments.at(-1)?.itemsUsdPerHour.cluster).toBe(0.6);
  });

  it('keeps every versions and cost invariant', () => {
    expect(checkInvariants(snap)).toEqual([]);
  });

  it('walks through as a lesson: kubectl shows the server moving from 1.28 to 1.31, and a skip is refused', () => {
    const scenario = scenarios['version-eol'] as Scenario;
    const sim = createSimulation(scenario);
    sim.advance(0);
    const outputs: string[] = [];
    for (const step of scenario.lesson?.steps ?? []) {
      for (const line of step.shell ?? []) outputs.push(sim.exec(line).output);
      if (step.wait) sim.advance(parseDuration(step.wait) as number);
    }
    expect(sim.snapshot().clock.iso).toBe('2026-11-25T09:00:00.000Z');
    const text = outputs.join('\n');
    expect(text).toMatch(/Server Version: v1\.28\./);
    expect(text).toMatch(/Server Version: v1\.31\./);
    expect(text).toContain('Unsupported Kubernetes minor version update from 1.31 to 1.33');
  });

  it('has a lesson that says where the AWS documentation differs from the study group’s notes', () => {
    const lesson = (scenarios['version-eol'] as Scenario).lesson;
    const text = lesson?.steps.map((s) => s.text).join('\n') ?? '';
    expect(text).toContain('"the latest version"');
    expect(text).not.toMatch(/§/);
    expect(text).toMatch(/documentation says the oldest version still in extended support/);
  });
});
