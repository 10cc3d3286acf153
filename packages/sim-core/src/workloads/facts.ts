/**
 * What the kube-system workloads run, by the cluster's Kubernetes minor: the default add-on
 * versions EKS installs with a new cluster (Amazon EKS User Guide: "Manage CoreDNS",
 * "Manage kube-proxy", "Amazon VPC CNI": the version tables per cluster version), from EKS's
 * image registry (Amazon EKS User Guide, "View Amazon container image registries": account
 * 602401143452 serves most Regions).
 */
const REGISTRY_ACCOUNT = '602401143452';

const COREDNS_BY_MINOR: Readonly<Record<number, string>> = {
  23: 'v1.8.7-eksbuild.10',
  24: 'v1.9.3-eksbuild.11',
  25: 'v1.9.3-eksbuild.11',
  26: 'v1.9.3-eksbuild.11',
  27: 'v1.10.1-eksbuild.7',
  28: 'v1.10.1-eksbuild.7',
  29: 'v1.11.1-eksbuild.4',
  30: 'v1.11.1-eksbuild.9',
  31: 'v1.11.3-eksbuild.1',
  32: 'v1.11.4-eksbuild.2',
};
const VPC_CNI_VERSION = 'v1.16.0-eksbuild.1';

export interface AddonImages {
  readonly awsNode: string;
  readonly kubeProxy: string;
  readonly coredns: string;
}

/** The images of `aws-node`, `kube-proxy` and `coredns` on a cluster of `version` (`1.28`) in `region`. */
export function addonImages(version: string, patch: string, region: string): AddonImages {
  const minor = Number(version.split('.')[1] ?? 0);
  const known = Object.keys(COREDNS_BY_MINOR).map(Number);
  const nearest = known.reduce((a, b) => (Math.abs(b - minor) < Math.abs(a - minor) ? b : a));
  const registry = `${REGISTRY_ACCOUNT}.dkr.ecr.${region}.amazonaws.com`;
  return {
    awsNode: `${registry}/amazon-k8s-cni:${VPC_CNI_VERSION}`,
    kubeProxy: `${registry}/eks/kube-proxy:v${patch}-minimal-eksbuild.1`,
    coredns: `${registry}/eks/coredns:${COREDNS_BY_MINOR[nearest]}`,
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
