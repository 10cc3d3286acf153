import type { Snapshot } from '../simulation';
import { calendarRow, dayStartMs, minorOf } from '../versions/calendar';
import type { SnapshotCheck, Violation } from './types';

/** The control plane never skips a minor version and never goes down one (AWS EKS User Guide, kubernetes-versions.html, docs/control-plane.md). */
const neverSkipsOrDowngrades: SnapshotCheck = (snapshot: Snapshot) => {
  const out: Violation[] = [];
  const history = snapshot.versions.history;
  history.forEach((change, i) => {
    const from = minorOf(change.fromVersion);
    const to = minorOf(change.toVersion);
    if (from === undefined || to === undefined || to !== from + 1) {
      out.push({
        invariant: 'control-plane-one-minor-up',
        atMs: change.startedAtMs,
        message: `control plane went ${change.fromVersion} → ${change.toVersion} (update ${change.updateId}): not exactly one minor version up`,
      });
    }
    const previous = history[i - 1];
    if (previous && previous.toVersion !== change.fromVersion) {
      out.push({
        invariant: 'control-plane-one-minor-up',
        atMs: change.startedAtMs,
        message: `update ${change.updateId} starts from ${change.fromVersion}, but the previous update left the control plane on ${previous.toVersion}`,
      });
    }
  });
  return out;
};

/**
 * The automatic upgrade starts exactly at the boundary of the version it leaves (end of extended
 * support, or end of standard support under STANDARD), unless the cluster was busy then and the
 * deferral is recorded; and a cluster past its end of support is always about to be upgraded.
 */
const autoUpgradeAtBoundary: SnapshotCheck = (snapshot: Snapshot) => {
  const out: Violation[] = [];
  for (const change of snapshot.versions.history) {
    if (change.trigger !== 'automatic') continue;
    const row = calendarRow(change.fromVersion);
    const boundaries = row ? [dayStartMs(row.endOfStandard), dayStartMs(row.endOfExtended)] : [];
    if (change.boundaryMs === undefined || !boundaries.includes(change.boundaryMs)) {
      out.push({
        invariant: 'auto-upgrade-at-boundary',
        atMs: change.startedAtMs,
        message: `automatic upgrade ${change.updateId} from ${change.fromVersion} is not tied to an end-of-support date of ${change.fromVersion}`,
      });
      continue;
    }
    if (change.startedAtMs !== change.boundaryMs && !change.deferredReason) {
      out.push({
        invariant: 'auto-upgrade-at-boundary',
        atMs: change.startedAtMs,
        message: `automatic upgrade ${change.updateId} started at ${change.startedAt}, not at its boundary ${change.boundaryDate}T00:00:00Z`,
      });
    }
  }
  const cluster = snapshot.versions.cluster;
  const pastSupport =
    cluster &&
    (cluster.phase === 'unsupported' || (cluster.supportType === 'STANDARD' && cluster.phase === 'extended'));
  if (
    cluster &&
    pastSupport &&
    cluster.lifecycleState !== 'AUTO_UPGRADE_DUE' &&
    cluster.lifecycleState !== 'UPDATING'
  ) {
    out.push({
      invariant: 'auto-upgrade-at-boundary',
      atMs: snapshot.clock.nowMs,
      message: `cluster ${cluster.name} runs ${cluster.version} past its end of support with no automatic upgrade pending (${cluster.lifecycleState})`,
    });
  }
  return out;
};

/** Cost equals the integral of the hourly rates, and the breakdowns add up to it (docs/control-plane.md). */
const costIsIntegralOfRates: SnapshotCheck = (snapshot: Snapshot) => {
  const cost = snapshot.cost;
  const out: Violation[] = [];
  const integral = cost.segments.reduce((sum, s) => sum + s.hours * s.nanoPerHour, 0);
  if (integral !== cost.ledger.totalNanoUsd) {
    out.push({
      invariant: 'cost-is-integral-of-rates',
      atMs: snapshot.clock.nowMs,
      message: `billed ${cost.ledger.totalNanoUsd} nano-USD but the hourly rates integrate to ${integral}`,
    });
  }
  const hours = cost.segments.reduce((sum, s) => sum + s.hours, 0);
  if (hours !== cost.ledger.billedHours) {
    out.push({
      invariant: 'cost-is-integral-of-rates',
      atMs: snapshot.clock.nowMs,
      message: `billed ${cost.ledger.billedHours} hours but the segments hold ${hours}`,
    });
  }
  const itemSum = Object.values(cost.byItem).reduce((a, b) => a + b, 0);
  const phaseSum = cost.byPhase.standard + cost.byPhase.extended + cost.byPhase.unsupported;
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6;
  if (!close(itemSum, cost.totalUsd) || !close(phaseSum, cost.byItem.cluster ?? 0)) {
    out.push({
      invariant: 'cost-is-integral-of-rates',
      atMs: snapshot.clock.nowMs,
      message: `breakdowns do not add up: items $${itemSum} vs total $${cost.totalUsd}; phases $${phaseSum} vs cluster $${cost.byItem.cluster ?? 0}`,
    });
  }
  return out;
};

/** Invariants of the versions model (docs/control-plane.md). */
export const versionChecks: readonly SnapshotCheck[] = [
  neverSkipsOrDowngrades,
  autoUpgradeAtBoundary,
  costIsIntegralOfRates,
];
