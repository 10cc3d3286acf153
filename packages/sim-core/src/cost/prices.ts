import type { SupportPhase } from '../versions/calendar';

/**
 * What the customer pays, in USD (docs/versions-and-cost.md, aws.amazon.com/eks/pricing): one table, each row with its source
 * and the date it was read. Control-plane scaling costs nothing extra (docs/control-plane.md).
 *
 * Accounting is in integer nano-dollars per hour so that sums are exact: a rate given per month
 * is divided by 730 hours (the AWS Pricing Calculator's month) and rounded to the nano-dollar.
 */
export const NANO_PER_USD = 1_000_000_000;
export const HOURS_PER_MONTH = 730;

export interface ClusterPriceRow {
  /** Billing phase of the control plane. */
  readonly phase: 'standard' | 'extended';
  /** First day (00:00 UTC) this price applies. */
  readonly since: string;
  readonly usdPerHour: number;
  readonly source: string;
}

export const CLUSTER_PRICES: readonly ClusterPriceRow[] = [
  {
    phase: 'standard',
    since: '2018-06-05',
    usdPerHour: 0.1,
    source: 'AWS Amazon EKS pricing page: $0.10 per cluster per hour (docs/versions-and-cost.md); read 2026-11-25',
  },
  {
    phase: 'extended',
    since: '2018-06-05',
    usdPerHour: 0.1,
    source:
      'Extended support was free in its preview (Oct 2023 - Mar 2024): billed as standard (aws.amazon.com/eks/pricing; AWS containers blog "Amazon EKS extended support for Kubernetes versions pricing")',
  },
  {
    phase: 'extended',
    since: '2024-04-01',
    usdPerHour: 0.6,
    source:
      'AWS Amazon EKS pricing page: $0.60 per cluster per hour in extended support, from 2024-04-01 (AWS notice quoted in github.com/WGBH-MLA/chowda/issues/217: "charged at $0.60 per cluster hour"); read 2026-11-25',
  },
];

export interface InstancePriceRow {
  readonly region: string;
  readonly instanceType: string;
  readonly usdPerHour: number;
  readonly source: string;
}

/**
 * EC2 On-Demand, Linux, shared tenancy. Not confirmed against a stored copy of the AWS EC2
 * pricing page (search on 2026-11-25 found none for Seoul); $0.052 is the price AWS's EC2
 * On-Demand pricing page lists for t3.medium in Asia Pacific (Seoul). Re-check when online.
 */
export const INSTANCE_PRICES: readonly InstancePriceRow[] = [
  {
    region: 'ap-northeast-2',
    instanceType: 't3.medium',
    usdPerHour: 0.052,
    source:
      'AWS EC2 On-Demand pricing, Asia Pacific (Seoul), Linux: $0.052/h (not confirmed in stored copies; 2026-11-25)',
  },
];

export interface VolumePriceRow {
  readonly region: string;
  readonly volumeType: 'gp3';
  readonly usdPerGbMonth: number;
  readonly source: string;
}

/**
 * EBS gp3 storage (the baseline 3,000 IOPS and 125 MB/s are free; eksctl's node volumes use no
 * more). Not confirmed against a stored copy of the EBS pricing page for Seoul (2026-11-25).
 */
export const VOLUME_PRICES: readonly VolumePriceRow[] = [
  {
    region: 'ap-northeast-2',
    volumeType: 'gp3',
    usdPerGbMonth: 0.0912,
    source:
      'AWS Amazon EBS pricing, Asia Pacific (Seoul), gp3 storage: $0.0912 per GB-month (not confirmed in stored copies; 2026-11-25). Billed per GB-month "until you release the storage" (aws EBS pricing page)',
  },
];

const toNano = (usd: number): number => Math.round(usd * NANO_PER_USD);

/** The control plane's price per hour at `atMs` in a support phase (unsupported bills as extended until upgraded). */
export function clusterNanoPerHour(phase: SupportPhase, atMs: number): number {
  const billed = phase === 'standard' || phase === 'not-yet-released' ? 'standard' : 'extended';
  let price: ClusterPriceRow | undefined;
  for (const row of CLUSTER_PRICES) {
    if (row.phase === billed && Date.parse(`${row.since}T00:00:00Z`) <= atMs) price = row;
  }
  return toNano(price?.usdPerHour ?? 0.1);
}

/** Instance price per hour, or undefined when the table has no row (the cost domain warns once). */
export function instanceNanoPerHour(region: string, instanceType: string): number | undefined {
  const row = INSTANCE_PRICES.find((r) => r.region === region && r.instanceType === instanceType);
  return row ? toNano(row.usdPerHour) : undefined;
}

/** gp3 price per GiB-hour: the GB-month price over 730 hours. */
export function volumeNanoPerGibHour(region: string): number | undefined {
  const row = VOLUME_PRICES.find((r) => r.region === region);
  return row ? toNano(row.usdPerGbMonth / HOURS_PER_MONTH) : undefined;
}
