/**
 * Facts and model constants of the managed control plane, one table per kind of fact.
 *
 * Sources:
 * - docs/control-plane.md: 3 AZs, ≥2 API servers, ≥3 etcd, Auto Scaling groups, scaling by CPU and
 *   memory, one NLB per AZ (the seed's model; AWS only says the endpoint "uses an NLB").
 * - AWS EKS Best Practices, "EKS Control Plane"
 *   (https://docs.aws.amazon.com/eks/latest/best-practices/control-plane.html): "EKS runs a
 *   minimum of two API server nodes in distinct Availability Zones", etcd "in an auto-scaling
 *   group that spans three AZs", unhealthy nodes replaced automatically.
 * - AWS EKS Best Practices (Control plane): 400 + 200 = 600 APF seats per API server at the start, raised up to 2000.
 * - ELB knowledge center "elb-dns-cross-zone-balance-configuration": with cross-zone load
 *   balancing off (the NLB default) an AZ without a healthy target drops out of DNS.
 */

import type { InstanceSize } from '../load/types';

export const CONTROL_PLANE_AZ_COUNT = 3;
export const MIN_API_SERVERS = 2;
export const MAX_API_SERVERS = 6;
export const MIN_ETCD_MEMBERS = 3;

/** AWS AZ-id prefixes: region words → initials (`ap-northeast-2` → `apne2`, `us-east-1` → `use1`). */
const DIRECTION_INITIALS: Readonly<Record<string, string>> = {
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  central: 'c',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
};

/** The three AZ ids the control plane uses in `region` (`apne2-az1` … `apne2-az3`). */
export function controlPlaneAzIds(region: string): string[] {
  const parts = region.split('-');
  const area = parts[0] ?? 'xx';
  const number = parts[parts.length - 1] ?? '1';
  const words = parts.slice(1, -1).map((w) => DIRECTION_INITIALS[w] ?? w.slice(0, 1));
  const prefix = `${area}${words.join('')}${number}`;
  return Array.from({ length: CONTROL_PLANE_AZ_COUNT }, (_, i) => `${prefix}-az${i + 1}`);
}

/**
 * The customer's name of a control-plane AZ id (`apne2-az1` → `ap-northeast-2a`). AWS maps AZ
 * names to AZ ids per account (AWS RAM User Guide, "Availability Zone IDs for your AWS
 * resources"); the simulated account maps them in order: az1 → a, az2 → b, az3 → c.
 */
export function customerAzName(azId: string, region: string): string {
  const n = Number(azId.slice(azId.lastIndexOf('-az') + 3));
  return `${region}${String.fromCharCode(96 + n)}`;
}

/**
 * The size ladder of control-plane instances. EKS does not publish the instance types it
 * runs; this table is the simulator's model. The seat column follows AWS EKS Best Practices (Control plane): 600
 * seats (`--max-requests-inflight` 400 + `--max-mutating-requests-inflight` 200) at the
 * smallest size, raised up to 2000 as EKS scales the instance up. CPU capacity is
 * `vcpu × API_RPS_PER_VCPU` requests per second.
 */
export const SIZE_LADDER: readonly InstanceSize[] = [
  { name: 'm5.large', vcpu: 2, memoryGiB: 8, seats: 600 }, // AWS EKS Best Practices (Control plane): 400 + 200 at the start
  { name: 'm5.xlarge', vcpu: 4, memoryGiB: 16, seats: 1000 }, // model: interpolated
  { name: 'm5.2xlarge', vcpu: 8, memoryGiB: 32, seats: 1400 }, // model: interpolated
  { name: 'm5.4xlarge', vcpu: 16, memoryGiB: 64, seats: 2000 }, // AWS EKS Best Practices (Control plane): "up to 2000"
];

export function sizeIndex(name: string): number {
  return SIZE_LADDER.findIndex((s) => s.name === name);
}

export function sizeByIndex(index: number): InstanceSize {
  return SIZE_LADDER[Math.max(0, Math.min(SIZE_LADDER.length - 1, index))] as InstanceSize;
}

/** Timings of the Auto Scaling groups and health checks (model values, EC2-like). */
export const TIMING = {
  /** EC2 launch to the process starting (API server: launching → initializing). */
  launchMs: { min: 90_000, max: 150_000 },
  /** kube-apiserver start-up to passing /readyz (initializing → healthy). */
  apiServerInitMs: { min: 45_000, max: 75_000 },
  /** etcd process start before it joins as a learner and starts catching up. */
  etcdStartMs: { min: 30_000, max: 60_000 },
  /** ASG health-check grace: how long a failed instance stays before it is replaced. */
  asgHealthCheckMs: 60_000,
  /** NLB health checks: interval × unhealthy threshold (10 s × 3) to leave DNS, 2 × 10 s to return. */
  nlbUnhealthyMs: 30_000,
  nlbHealthyMs: 20_000,
  /** Draining an API server before it is terminated (deregistration delay, shortened). */
  drainMs: 30_000,
} as const;

/**
 * How long after the last disruption (fault, recovery, partition) the control plane must be
 * back to its minimums: health-check grace + launch + start-up + catch-up, with margin.
 */
export const RECOVERY_BOUND_MS = 15 * 60_000;

/**
 * The control-plane autoscaler's rules (model values; the EKS Best Practices guide says EKS
 * scales the control plane by CPU and memory, and since 2024 also by node count and etcd size).
 * Windows are time above/below a threshold; cooldowns separate two decisions of one group.
 */
export const AUTOSCALER_RULES = {
  evaluationMs: 60_000,
  scaleOut: { cpuAbove: 0.6, forMs: 3 * 60_000, cooldownMs: 5 * 60_000 },
  scaleIn: { cpuBelow: 0.25, forMs: 15 * 60_000, cooldownMs: 15 * 60_000 },
  resizeUp: { cpuAbove: 0.7, memoryAbove: 0.75, forMs: 5 * 60_000, cooldownMs: 10 * 60_000 },
  resizeDown: { cpuBelow: 0.15, memoryBelow: 0.3, forMs: 60 * 60_000, cooldownMs: 30 * 60_000 },
} as const;

/** Public-looking NLB node addresses for a region (documentation-safe, seeded per node). */
export const NLB_ADDRESS_BLOCKS: Readonly<Record<string, readonly string[]>> = {
  'ap-northeast-2': ['3.34', '43.200', '52.78'],
};
export const DEFAULT_NLB_ADDRESS_BLOCKS = ['3.5', '18.100', '54.150'];
