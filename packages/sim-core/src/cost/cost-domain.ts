import type { CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import { isoTime } from '../engine/duration';
import { calendarRow, type SupportPhase, supportPhase } from '../versions/calendar';
import type { CostPorts } from './ports';
import { clusterNanoPerHour, instanceNanoPerHour, NANO_PER_USD, volumeNanoPerGibHour } from './prices';

export const HOUR_MS = 3_600_000;

/**
 * An hour is billed once it has begun, not at the instant it begins: a 24-hour run that ends at
 * 09:00 pays for 24 hours, not for a 25th that never ran.
 */
const BILLED_ONCE_BEGUN_MS = 1;

/** How partial hours are billed; shown in the snapshot so a reader of the numbers knows. */
export const BILLING_CONVENTION =
  'Each UTC clock hour is billed in full once it has begun (its first millisecond has passed), at the rates in effect at its start (the first hour from the scenario start); a run that ends exactly on the hour is not billed for the hour starting then. Rates are integer nano-dollars per hour; per-month prices are divided by 730 hours.';

/** What one hour costs, by item, and the control plane's billing phase then. */
export interface HourlyRate {
  readonly nanoPerHour: number;
  readonly clusterPhase: SupportPhase | null;
  readonly items: Readonly<Record<string, number>>;
}

/** A run of consecutive billed hours at the same rate: the integral is Σ hours × rate. */
export interface CostSegment {
  readonly fromMs: number;
  readonly from: string;
  /** Exclusive end of the last billed hour of the segment. */
  toMs: number;
  hours: number;
  readonly hourlyRateUsd: number;
  readonly nanoPerHour: number;
  readonly clusterPhase: SupportPhase | null;
  readonly itemsUsdPerHour: Readonly<Record<string, number>>;
}

export interface CostView {
  /** Everything billed so far, USD. */
  readonly totalUsd: number;
  /** The rate of the hour now being billed. */
  readonly hourlyRateUsd: number;
  /** The control-plane fee by support phase (docs/versions-and-cost.md, aws.amazon.com/eks/pricing). */
  readonly byPhase: Readonly<Record<'standard' | 'extended' | 'unsupported', number>>;
  /** Everything by item: `cluster`, `ec2:<instance type>`, `ebs:gp3`. */
  readonly byItem: Readonly<Record<string, number>>;
  /** Exact accounting: the total in integer nano-dollars, hours billed, and billed up to (exclusive). */
  readonly ledger: {
    readonly totalNanoUsd: number;
    readonly billedHours: number;
    readonly billedThrough: string | null;
  };
  readonly segments: readonly CostSegment[];
  readonly convention: string;
}

export interface CostSnapshotPart {
  readonly cost: CostView;
}

const usd = (nano: number): number => nano / NANO_PER_USD;

/**
 * What the customer pays (docs/versions-and-cost.md, aws.amazon.com/eks/pricing): the cluster fee by support phase, the node
 * instances by type and their gp3 root volumes, accrued once per simulated hour. Control-plane
 * scaling is free to the customer (docs/control-plane.md), so load never changes the bill.
 */
/** The bill so far (the next hour's billing is a pending `cost.bill-hour` timer in the engine's queue). */
interface SavedCost {
  readonly totalNano: number;
  readonly byPhaseNano: CostDomain['byPhaseNano'];
  readonly byItemNano: Record<string, number>;
  readonly segments: readonly CostSegment[];
  readonly current: HourlyRate;
  readonly billedHours: number;
  readonly billedThroughMs: number | null;
  readonly missingPrices: readonly string[];
}

const BILL_HOUR = 'cost.bill-hour';

export class CostDomain implements Domain<CostSnapshotPart, SavedCost> {
  readonly commands: readonly CommandSpec[] = [];
  private totalNano = 0;
  private byPhaseNano = { standard: 0, extended: 0, unsupported: 0 };
  private byItemNano: Record<string, number> = {};
  private segments: CostSegment[] = [];
  private current: HourlyRate = { nanoPerHour: 0, clusterPhase: null, items: {} };
  private billedHours = 0;
  private billedThroughMs: number | null = null;
  private readonly missingPrices = new Set<string>();

  constructor(
    private readonly ctx: SimContext,
    private readonly ports: CostPorts,
  ) {
    ctx.timers.on<{ hourStartMs: number }>(BILL_HOUR, ({ hourStartMs }) => this.billHour(hourStartMs));
  }

  start(): void {
    // The first hour runs from the start itself, so the cluster and nodes a scenario builds at its start are billed.
    const start = this.ctx.clock.now();
    this.ctx.timers.at(start + BILLED_ONCE_BEGUN_MS, BILL_HOUR, { hourStartMs: start });
  }

  save(): SavedCost {
    return {
      totalNano: this.totalNano,
      byPhaseNano: this.byPhaseNano,
      byItemNano: this.byItemNano,
      segments: this.segments,
      current: this.current,
      billedHours: this.billedHours,
      billedThroughMs: this.billedThroughMs,
      missingPrices: [...this.missingPrices],
    };
  }

  restore(saved: SavedCost): void {
    this.totalNano = saved.totalNano;
    this.byPhaseNano = { ...saved.byPhaseNano };
    this.byItemNano = { ...saved.byItemNano };
    this.segments = saved.segments.map((segment) => ({ ...segment }));
    this.current = saved.current;
    this.billedHours = saved.billedHours;
    this.billedThroughMs = saved.billedThroughMs;
    for (const what of saved.missingPrices) this.missingPrices.add(what);
  }

  /** The hourly rate right now, computed from the cluster, its phase and the nodes. */
  rateNow(): HourlyRate {
    const now = this.ctx.clock.now();
    const items: Record<string, number> = {};
    const add = (item: string, nano: number) => {
      items[item] = (items[item] ?? 0) + nano;
    };
    let clusterPhase: SupportPhase | null = null;
    const cluster = this.ports.cluster.cluster;
    if (cluster) {
      clusterPhase = calendarRow(cluster.version) ? supportPhase(cluster.version, now) : 'unsupported';
      // A STANDARD cluster never enters extended support: while EKS upgrades it at the boundary it bills as standard.
      if (cluster.upgradePolicy.supportType === 'STANDARD' && clusterPhase !== 'not-yet-released')
        clusterPhase = 'standard';
      add('cluster', clusterNanoPerHour(clusterPhase, now));
    }
    const region = this.ports.cluster.region;
    for (const group of this.ports.nodegroups.all) {
      for (const node of group.nodes) {
        if (node.state === 'terminated') continue;
        const instance = instanceNanoPerHour(region, group.instanceType);
        if (instance === undefined) this.warnMissing(`EC2 ${group.instanceType} in ${region}`);
        else add(`ec2:${group.instanceType}`, instance);
        const perGib = volumeNanoPerGibHour(region);
        if (perGib === undefined) this.warnMissing(`EBS gp3 in ${region}`);
        else add('ebs:gp3', perGib * group.volumeSizeGiB);
      }
    }
    const nanoPerHour = Object.values(items).reduce((a, b) => a + b, 0);
    return { nanoPerHour, clusterPhase, items };
  }

  /** Bills the hour that began at `hourStartMs` (called just after it began). */
  private billHour(hourStartMs: number): void {
    const now = hourStartMs;
    const rate = this.rateNow();
    this.totalNano += rate.nanoPerHour;
    for (const [item, nano] of Object.entries(rate.items)) this.byItemNano[item] = (this.byItemNano[item] ?? 0) + nano;
    const clusterNano = rate.items.cluster ?? 0;
    if (rate.clusterPhase === 'unsupported') this.byPhaseNano.unsupported += clusterNano;
    else if (rate.clusterPhase === 'extended') this.byPhaseNano.extended += clusterNano;
    else if (rate.clusterPhase) this.byPhaseNano.standard += clusterNano;
    this.billedHours++;
    const nextHour = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
    this.billedThroughMs = nextHour;
    this.extendSegments(now, nextHour, rate);
    this.current = rate;
    this.ctx.timers.at(nextHour + BILLED_ONCE_BEGUN_MS, BILL_HOUR, { hourStartMs: nextHour });
  }

  private extendSegments(fromMs: number, toMs: number, rate: HourlyRate): void {
    const last = this.segments[this.segments.length - 1];
    if (
      last &&
      last.nanoPerHour === rate.nanoPerHour &&
      last.clusterPhase === rate.clusterPhase &&
      sameItems(last, rate)
    ) {
      last.toMs = toMs;
      last.hours++;
      return;
    }
    const itemsUsdPerHour = Object.fromEntries(Object.entries(rate.items).map(([k, v]) => [k, usd(v)]));
    this.segments.push({
      fromMs,
      from: isoTime(fromMs),
      toMs,
      hours: 1,
      hourlyRateUsd: usd(rate.nanoPerHour),
      nanoPerHour: rate.nanoPerHour,
      clusterPhase: rate.clusterPhase,
      itemsUsdPerHour,
    });
    const parts = Object.entries(itemsUsdPerHour).map(([k, v]) => `${k} $${round4(v)}`);
    this.ctx.emit(
      'cost.rate-changed',
      'cost',
      `Hourly rate now $${round4(usd(rate.nanoPerHour))}${rate.clusterPhase ? ` (control plane: ${rate.clusterPhase === 'unsupported' ? 'past end of support, billed as extended' : `${rate.clusterPhase} support`})` : ''}: ${parts.join(', ') || 'nothing running'}`,
      { hourlyRateUsd: usd(rate.nanoPerHour), clusterPhase: rate.clusterPhase, itemsUsdPerHour },
    );
  }

  private warnMissing(what: string): void {
    if (this.missingPrices.has(what)) return;
    this.missingPrices.add(what);
    this.ctx.emit('cost.price-missing', 'cost', `No price for ${what} in the price table; billed as $0`, { what });
  }

  snapshot(): CostSnapshotPart {
    return {
      cost: {
        totalUsd: usd(this.totalNano),
        hourlyRateUsd: usd(this.current.nanoPerHour),
        byPhase: {
          standard: usd(this.byPhaseNano.standard),
          extended: usd(this.byPhaseNano.extended),
          unsupported: usd(this.byPhaseNano.unsupported),
        },
        byItem: Object.fromEntries(Object.entries(this.byItemNano).map(([k, v]) => [k, usd(v)])),
        ledger: {
          totalNanoUsd: this.totalNano,
          billedHours: this.billedHours,
          billedThrough: this.billedThroughMs === null ? null : isoTime(this.billedThroughMs),
        },
        segments: this.segments.map((s) => ({ ...s })),
        convention: BILLING_CONVENTION,
      },
    };
  }
}

function sameItems(segment: CostSegment, rate: HourlyRate): boolean {
  const keys = Object.keys(rate.items);
  if (keys.length !== Object.keys(segment.itemsUsdPerHour).length) return false;
  return keys.every((k) => segment.itemsUsdPerHour[k] === usd(rate.items[k] as number));
}

const round4 = (v: number): string => v.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
