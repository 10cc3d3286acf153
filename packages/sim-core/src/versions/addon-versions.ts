import { parseDate } from '../engine/duration';

/**
 * The EKS add-ons the simulator knows and the builds EKS offered of each, by date and
 * Kubernetes version: what DescribeAddonVersions answers and what CreateAddon accepts
 * (docs/versions-and-cost.md, "Add-on versions"). One row per build; a build is offered from
 * its date on, for the Kubernetes minors it lists. `defaultFor` names the minors for which it
 * was EKS's default when it came out (a newer default for the same minor replaces it).
 *
 * Sources, read 2026-11-29: the AWS EKS User Guide's version tables (managing-vpc-cni.html,
 * managing-coredns.html, managing-kube-proxy.html, pod-id-agent-setup.html) for which build
 * goes with which Kubernetes version; the upstream release pages for the dates
 * (github.com/aws/amazon-vpc-cni-k8s/releases, github.com/aws/eks-pod-identity-agent/releases,
 * kubernetes.io/releases/patch-releases for kube-proxy, coredns.io for CoreDNS). A build
 * published with a new Kubernetes version on EKS carries that version's EKS release date
 * (versions/calendar.ts). The `-eksbuild.N` suffixes and the day of an eksbuild are
 * approximate: no build is shown before the upstream release it packages.
 */
export type AddonName = 'vpc-cni' | 'coredns' | 'kube-proxy' | 'eks-pod-identity-agent';

export interface AddonFacts {
  readonly name: AddonName;
  /** `AddonInfo.type`. */
  readonly type: 'networking' | 'security';
  readonly defaultNamespace: string;
  /** Whether the add-on needs an IAM role to work (`requiresIamPermissions`). */
  readonly requiresIamPermissions: boolean;
}

/** EKS's own add-ons (publisher and owner `eks`), as DescribeAddonVersions describes them. */
export const EKS_ADDONS: readonly AddonFacts[] = [
  { name: 'coredns', type: 'networking', defaultNamespace: 'kube-system', requiresIamPermissions: false },
  { name: 'eks-pod-identity-agent', type: 'security', defaultNamespace: 'kube-system', requiresIamPermissions: false },
  { name: 'kube-proxy', type: 'networking', defaultNamespace: 'kube-system', requiresIamPermissions: false },
  { name: 'vpc-cni', type: 'networking', defaultNamespace: 'kube-system', requiresIamPermissions: true },
];

export interface AddonBuild {
  readonly addon: AddonName;
  readonly version: string;
  /** The day EKS offered it (UTC), `YYYY-MM-DD`. */
  readonly date: string;
  /** Kubernetes minors it runs on. */
  readonly kubernetes: readonly string[];
  readonly defaultFor: readonly string[];
}

const minors = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `1.${from + i}`);

export const ADDON_BUILDS: readonly AddonBuild[] = [
  // vpc-cni: one build serves a range of minors (managing-vpc-cni.html).
  { addon: 'vpc-cni', version: 'v1.14.1-eksbuild.1', date: '2023-09-05', kubernetes: minors(23, 28), defaultFor: [] },
  {
    addon: 'vpc-cni',
    version: 'v1.15.1-eksbuild.1',
    date: '2023-10-10',
    kubernetes: minors(23, 28),
    defaultFor: minors(23, 28),
  },
  {
    addon: 'vpc-cni',
    version: 'v1.16.0-eksbuild.1',
    date: '2024-01-23',
    kubernetes: minors(23, 29),
    defaultFor: ['1.29'],
  },
  { addon: 'vpc-cni', version: 'v1.16.4-eksbuild.2', date: '2024-03-05', kubernetes: minors(23, 29), defaultFor: [] },
  {
    addon: 'vpc-cni',
    version: 'v1.18.1-eksbuild.3',
    date: '2024-05-23',
    kubernetes: minors(23, 30),
    defaultFor: minors(23, 30),
  },
  { addon: 'vpc-cni', version: 'v1.18.3-eksbuild.2', date: '2024-08-06', kubernetes: minors(23, 30), defaultFor: [] },
  {
    addon: 'vpc-cni',
    version: 'v1.18.5-eksbuild.1',
    date: '2024-09-26',
    kubernetes: minors(25, 31),
    defaultFor: minors(25, 31),
  },
  {
    addon: 'vpc-cni',
    version: 'v1.19.2-eksbuild.1',
    date: '2025-01-23',
    kubernetes: minors(25, 32),
    defaultFor: minors(25, 32),
  },
  {
    addon: 'vpc-cni',
    version: 'v1.19.5-eksbuild.1',
    date: '2025-05-29',
    kubernetes: minors(27, 33),
    defaultFor: minors(27, 33),
  },
  {
    addon: 'vpc-cni',
    version: 'v1.20.3-eksbuild.1',
    date: '2025-10-02',
    kubernetes: minors(28, 34),
    defaultFor: minors(28, 34),
  },
  // coredns: a build per group of minors (managing-coredns.html).
  { addon: 'coredns', version: 'v1.9.3-eksbuild.7', date: '2023-09-26', kubernetes: minors(23, 26), defaultFor: [] },
  {
    addon: 'coredns',
    version: 'v1.10.1-eksbuild.4',
    date: '2023-09-26',
    kubernetes: minors(27, 28),
    defaultFor: minors(27, 28),
  },
  { addon: 'coredns', version: 'v1.10.1-eksbuild.7', date: '2024-01-23', kubernetes: minors(27, 28), defaultFor: [] },
  { addon: 'coredns', version: 'v1.11.1-eksbuild.4', date: '2024-01-23', kubernetes: ['1.29'], defaultFor: ['1.29'] },
  {
    addon: 'coredns',
    version: 'v1.11.1-eksbuild.9',
    date: '2024-05-23',
    kubernetes: minors(29, 30),
    defaultFor: minors(29, 30),
  },
  {
    addon: 'coredns',
    version: 'v1.11.3-eksbuild.1',
    date: '2024-09-26',
    kubernetes: minors(29, 31),
    defaultFor: ['1.31'],
  },
  {
    addon: 'coredns',
    version: 'v1.11.4-eksbuild.2',
    date: '2025-01-23',
    kubernetes: minors(29, 32),
    defaultFor: ['1.32'],
  },
  {
    addon: 'coredns',
    version: 'v1.12.1-eksbuild.2',
    date: '2025-05-29',
    kubernetes: minors(33, 33),
    defaultFor: ['1.33'],
  },
  {
    addon: 'coredns',
    version: 'v1.12.4-eksbuild.1',
    date: '2025-10-02',
    kubernetes: minors(33, 34),
    defaultFor: ['1.34'],
  },
  // kube-proxy: a build per minor, its version that minor's upstream patch (managing-kube-proxy.html).
  ...kubeProxyBuilds(),
  // eks-pod-identity-agent: launched with EKS Pod Identity (AWS News Blog, 2023-11-26).
  {
    addon: 'eks-pod-identity-agent',
    version: 'v1.0.0-eksbuild.1',
    date: '2023-11-26',
    kubernetes: minors(24, 28),
    defaultFor: minors(24, 28),
  },
  {
    addon: 'eks-pod-identity-agent',
    version: 'v1.1.0-eksbuild.1',
    date: '2024-01-23',
    kubernetes: minors(24, 29),
    defaultFor: minors(24, 29),
  },
  {
    addon: 'eks-pod-identity-agent',
    version: 'v1.2.0-eksbuild.1',
    date: '2024-02-27',
    kubernetes: minors(24, 29),
    defaultFor: minors(24, 29),
  },
  {
    addon: 'eks-pod-identity-agent',
    version: 'v1.3.0-eksbuild.1',
    date: '2024-05-23',
    kubernetes: minors(24, 30),
    defaultFor: minors(24, 30),
  },
  {
    addon: 'eks-pod-identity-agent',
    version: 'v1.3.4-eksbuild.1',
    date: '2024-11-20',
    kubernetes: minors(25, 31),
    defaultFor: minors(25, 31),
  },
  {
    addon: 'eks-pod-identity-agent',
    version: 'v1.3.5-eksbuild.2',
    date: '2025-01-23',
    kubernetes: minors(25, 32),
    defaultFor: minors(25, 32),
  },
  {
    addon: 'eks-pod-identity-agent',
    version: 'v1.3.7-eksbuild.2',
    date: '2025-05-29',
    kubernetes: minors(27, 33),
    defaultFor: minors(27, 33),
  },
];

/** kube-proxy's build of each minor on its EKS release day (`v1.28.1-eksbuild.1`), and one later patch. */
function kubeProxyBuilds(): AddonBuild[] {
  const rows: [string, string, string, string, string][] = [
    ['1.23', 'v1.23.7-eksbuild.1', '2022-08-11', 'v1.23.17-eksbuild.9', '2023-09-26'],
    ['1.24', 'v1.24.7-eksbuild.2', '2022-11-15', 'v1.24.17-eksbuild.4', '2023-10-10'],
    ['1.25', 'v1.25.6-eksbuild.1', '2023-02-22', 'v1.25.16-eksbuild.2', '2024-01-23'],
    ['1.26', 'v1.26.2-eksbuild.1', '2023-04-11', 'v1.26.13-eksbuild.2', '2024-03-05'],
    ['1.27', 'v1.27.1-eksbuild.1', '2023-05-24', 'v1.27.10-eksbuild.2', '2024-03-05'],
    ['1.28', 'v1.28.1-eksbuild.1', '2023-09-26', 'v1.28.6-eksbuild.2', '2024-03-05'],
    ['1.29', 'v1.29.0-eksbuild.1', '2024-01-23', 'v1.29.3-eksbuild.2', '2024-05-23'],
    ['1.30', 'v1.30.0-eksbuild.3', '2024-05-23', 'v1.30.6-eksbuild.3', '2024-11-20'],
    ['1.31', 'v1.31.0-eksbuild.5', '2024-09-26', 'v1.31.3-eksbuild.2', '2025-01-23'],
    ['1.32', 'v1.32.0-eksbuild.2', '2025-01-23', 'v1.32.3-eksbuild.7', '2025-05-29'],
    ['1.33', 'v1.33.0-eksbuild.2', '2025-05-29', 'v1.33.3-eksbuild.10', '2025-10-02'],
    ['1.34', 'v1.34.0-eksbuild.2', '2025-10-02', 'v1.34.1-eksbuild.2', '2025-11-20'],
  ];
  return rows.flatMap(([minor, first, firstDate, later, laterDate]) => [
    { addon: 'kube-proxy', version: first, date: firstDate, kubernetes: [minor], defaultFor: [minor] },
    { addon: 'kube-proxy', version: later, date: laterDate, kubernetes: [minor], defaultFor: [minor] },
  ]);
}

const dayMs = (date: string): number => parseDate(date) ?? Number.POSITIVE_INFINITY;

export const isAddonName = (name: string): name is AddonName => EKS_ADDONS.some((a) => a.name === name);

/**
 * The builds of `addon` EKS offers at `atMs` for Kubernetes `kubernetesVersion` (any minor if
 * undefined), newest first, each marked default when it is the newest default build of that
 * minor so far.
 */
export function addonBuildsOn(
  addon: AddonName,
  atMs: number,
  kubernetesVersion?: string,
): { build: AddonBuild; defaultFor: string[] }[] {
  const offered = ADDON_BUILDS.filter(
    (b) =>
      b.addon === addon &&
      dayMs(b.date) <= atMs &&
      (kubernetesVersion === undefined || b.kubernetes.includes(kubernetesVersion)),
  );
  const newestDefault = new Map<string, AddonBuild>();
  for (const build of offered) {
    for (const minor of build.defaultFor) {
      const current = newestDefault.get(minor);
      if (!current || dayMs(current.date) <= dayMs(build.date)) newestDefault.set(minor, build);
    }
  }
  return offered
    .map((build) => ({
      build,
      defaultFor: build.kubernetes.filter((minor) => newestDefault.get(minor) === build),
    }))
    .sort((a, b) => dayMs(b.build.date) - dayMs(a.build.date) || b.build.version.localeCompare(a.build.version));
}

/** The build CreateAddon installs without `addonVersion`: the default for that minor on that day. */
export function defaultAddonBuild(addon: AddonName, atMs: number, kubernetesVersion: string): AddonBuild | undefined {
  const builds = addonBuildsOn(addon, atMs, kubernetesVersion);
  return (builds.find((b) => b.defaultFor.includes(kubernetesVersion)) ?? builds[0])?.build;
}
