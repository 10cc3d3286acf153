import { ADDON_BUILDS, type AddonName, addonBuildsOn, defaultAddonBuild } from '../versions/addon-versions';

/**
 * What the kube-system workloads run: the add-on builds of the dated add-on table
 * (versions/addon-versions.ts, what DescribeAddonVersions answers), from EKS's image registry
 * (Amazon EKS User Guide, "View Amazon container image registries": account 602401143452
 * serves most Regions).
 */
const REGISTRY_ACCOUNT = '602401143452';

export interface AddonImages {
  readonly awsNode: string;
  readonly kubeProxy: string;
  readonly coredns: string;
}

/** Installed EKS add-ons' versions by name (CreateAddon); the others run EKS's default build. */
export type InstalledAddonVersions = Readonly<Partial<Record<AddonName, string>>>;

const minorOf = (version: string) => Number(version.split('.')[1] ?? 0);

/**
 * The build of `addon` a cluster of Kubernetes `version` runs at `atMs`: the installed one, else
 * EKS's default for that minor that day, else the first build EKS made for that minor, else
 * (a minor the table does not cover) the nearest covered minor's.
 */
function runningVersion(addon: AddonName, version: string, atMs: number, installed: InstalledAddonVersions): string {
  const chosen = installed[addon] ?? defaultAddonBuild(addon, atMs, version)?.version;
  if (chosen) return chosen;
  const everOffered = addonBuildsOn(addon, Number.POSITIVE_INFINITY, version);
  const first = everOffered[everOffered.length - 1]?.build.version;
  if (first) return first;
  const covered = ADDON_BUILDS.filter((b) => b.addon === addon).flatMap((b) => b.kubernetes);
  const nearest = covered.reduce((a, b) =>
    Math.abs(minorOf(b) - minorOf(version)) < Math.abs(minorOf(a) - minorOf(version)) ? b : a,
  );
  return runningVersion(addon, nearest, atMs, installed);
}

/**
 * The images of `aws-node`, `kube-proxy` and `coredns` on a cluster of `version` (`1.28`) in
 * `region` at `atMs`. kube-proxy's image is the `-minimal` variant of its add-on version
 * (managing-kube-proxy.html: add-on `v1.28.1-eksbuild.1` runs `kube-proxy:v1.28.1-minimal-eksbuild.1`).
 */
export function addonImages(
  version: string,
  region: string,
  atMs: number,
  installed: InstalledAddonVersions = {},
): AddonImages {
  const registry = `${REGISTRY_ACCOUNT}.dkr.ecr.${region}.amazonaws.com`;
  const running = (addon: AddonName) => runningVersion(addon, version, atMs, installed);
  return {
    awsNode: `${registry}/amazon-k8s-cni:${running('vpc-cni')}`,
    kubeProxy: `${registry}/eks/kube-proxy:${running('kube-proxy').replace('-eksbuild', '-minimal-eksbuild')}`,
    coredns: `${registry}/eks/coredns:${running('coredns')}`,
  };
}

/**
 * What an instance type gives the kubelet: vCPUs, memory, and the most pods the VPC CNI allows
 * (awslabs/amazon-eks-ami, `eni-max-pods.txt`: ENIs × (IPv4 per ENI − 1) + 2).
 */
export const INSTANCE_CAPACITY: Readonly<Record<string, { cpu: number; memoryMiB: number; maxPods: number }>> = {
  't3.small': { cpu: 2, memoryMiB: 2048, maxPods: 11 },
  't3.medium': { cpu: 2, memoryMiB: 4096, maxPods: 17 },
  't3.large': { cpu: 2, memoryMiB: 8192, maxPods: 35 },
  't3.xlarge': { cpu: 4, memoryMiB: 16384, maxPods: 58 },
  'm5.large': { cpu: 2, memoryMiB: 8192, maxPods: 29 },
  'm5.xlarge': { cpu: 4, memoryMiB: 16384, maxPods: 58 },
  'c5.large': { cpu: 2, memoryMiB: 4096, maxPods: 29 },
};
export const DEFAULT_CAPACITY = { cpu: 2, memoryMiB: 4096, maxPods: 17 };
