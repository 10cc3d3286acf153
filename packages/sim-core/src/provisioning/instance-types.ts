/**
 * EC2 instance types a node group may use: vCPUs, memory and the most pods the EKS AMI lets
 * a node run. eksctl asks EC2 (DescribeInstanceTypeOfferings) whether a type is offered; the
 * simulator asks this table, so `--node-type=t3.medum` is refused before anything is built.
 *
 * Sources (read 2026-11-29):
 * - vCPU and memory: Amazon EC2 "Instance types" specifications, general purpose, compute
 *   optimized and memory optimized (docs.aws.amazon.com/ec2/latest/instancetypes/).
 * - max pods: awslabs/amazon-eks-ami `templates/shared/runtime/eni-max-pods.txt` (ENIs × (IPv4
 *   addresses per ENI − 1) + 2), the same figure the EKS user guide's "Choose an optimal
 *   Amazon EC2 node instance type" derives.
 * - price: the cost model's own table (cost/prices.ts), where it has one.
 * Common node types only: a real type that is missing here is refused too; add its row.
 */
import { INSTANCE_PRICES } from '../cost/prices';

export interface InstanceTypeRow {
  readonly instanceType: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly maxPods: number;
  readonly arch: 'x86_64' | 'arm64';
}

// instanceType vCPU memoryGiB maxPods, one a line, as eni-max-pods.txt lists them.
const X86 = `
t2.micro 1 1 4
t2.small 1 2 11
t2.medium 2 4 17
t2.large 2 8 35
t2.xlarge 4 16 44
t2.2xlarge 8 32 44
t3.nano 2 0.5 4
t3.micro 2 1 4
t3.small 2 2 11
t3.medium 2 4 17
t3.large 2 8 35
t3.xlarge 4 16 58
t3.2xlarge 8 32 58
t3a.micro 2 1 4
t3a.small 2 2 8
t3a.medium 2 4 17
t3a.large 2 8 35
t3a.xlarge 4 16 58
t3a.2xlarge 8 32 58
m5.large 2 8 29
m5.xlarge 4 16 58
m5.2xlarge 8 32 58
m5.4xlarge 16 64 234
m5.8xlarge 32 128 234
m6i.large 2 8 29
m6i.xlarge 4 16 58
m6i.2xlarge 8 32 58
m6i.4xlarge 16 64 234
m7i.large 2 8 29
m7i.xlarge 4 16 58
m7i.2xlarge 8 32 58
c5.large 2 4 29
c5.xlarge 4 8 58
c5.2xlarge 8 16 58
c5.4xlarge 16 32 234
c6i.large 2 4 29
c6i.xlarge 4 8 58
c6i.2xlarge 8 16 58
r5.large 2 16 29
r5.xlarge 4 32 58
r5.2xlarge 8 64 58
r6i.large 2 16 29
r6i.xlarge 4 32 58
r6i.2xlarge 8 64 58
`;
const ARM = `
t4g.micro 2 1 4
t4g.small 2 2 11
t4g.medium 2 4 17
t4g.large 2 8 35
t4g.xlarge 4 16 58
m6g.medium 1 4 8
m6g.large 2 8 29
m6g.xlarge 4 16 58
m7g.large 2 8 29
m7g.xlarge 4 16 58
c6g.large 2 4 29
c7g.large 2 4 29
r6g.large 2 16 29
`;

const rows = (text: string, arch: InstanceTypeRow['arch']): InstanceTypeRow[] =>
  text
    .trim()
    .split('\n')
    .map((line) => {
      const [instanceType, vcpu, memoryGiB, maxPods] = line.split(' ');
      return {
        instanceType: instanceType as string,
        vcpu: Number(vcpu),
        memoryGiB: Number(memoryGiB),
        maxPods: Number(maxPods),
        arch,
      };
    });

export const INSTANCE_TYPES: readonly InstanceTypeRow[] = [...rows(X86, 'x86_64'), ...rows(ARM, 'arm64')];
const BY_NAME = new Map(INSTANCE_TYPES.map((row) => [row.instanceType, row]));

export function instanceType(name: string): InstanceTypeRow | undefined {
  return BY_NAME.get(name);
}

/** On-Demand USD per hour in `region`, where the cost model has the price. */
export function instancePrice(name: string, region: string): number | undefined {
  return INSTANCE_PRICES.find((p) => p.instanceType === name && p.region === region)?.usdPerHour;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** The known type closest to a misspelt one (`t3.medum` → `t3.medium`), if any is close. */
export function closestInstanceType(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const row of INSTANCE_TYPES) {
    const distance = editDistance(name, row.instanceType);
    if (!best || distance < best.distance) best = { name: row.instanceType, distance };
  }
  return best && best.distance <= 2 ? best.name : undefined;
}

/**
 * eksctl's refusal of a type EC2 does not offer in the node group's zones (its words, from
 * eksctl's pkg/eks/api.go), with the simulator's hint; undefined when the type is known.
 */
export function refuseInstanceType(name: string, nodegroup: string, zones: readonly string[]): string | undefined {
  if (BY_NAME.has(name)) return undefined;
  const near = closestInstanceType(name);
  return `none of the provided AZs "${zones.join(',')}" support instance type ${name} in nodegroup ${nodegroup} (EC2 has no instance type "${name}"${near ? `; did you mean ${near}?` : ''})`;
}
