/**
 * The Amazon EKS Kubernetes release calendar (docs/versions-and-cost.md, AWS EKS User Guide, kubernetes-versions.html) as one table, and
 * the pure functions every other part asks: the support phase of a version on a date, the
 * versions offered on a date, and the next boundary a cluster will cross.
 *
 * Boundaries are 00:00 UTC on the table's dates: "Billing for extended support starts at the
 * beginning of the day that the version reaches end of standard support, in the UTC+0
 * timezone" (AWS EKS User Guide, kubernetes-versions.html, "Amazon EKS Kubernetes release
 * calendar"; read 2026-11-25 from awsdocs/amazon-eks-user-guide
 * latest/ug/versioning/kubernetes-versions.adoc). So on its end-of-standard date a version is
 * already in extended support, and on its end-of-extended date it is unsupported.
 */

export type SupportPhase = 'not-yet-released' | 'standard' | 'extended' | 'unsupported';

export interface CalendarRow {
  /** Kubernetes minor version, `1.28`. */
  readonly version: string;
  readonly upstreamRelease: string;
  readonly eksRelease: string;
  readonly endOfStandard: string;
  readonly endOfExtended: string;
  /**
   * A representative patch release of the line, for `/version` where versions/platform-versions.ts
   * has no platform version of the line (`1.28.15`).
   */
  readonly patch: string;
  /** Go toolchain of that patch, for `/version`'s `goVersion`. */
  readonly goVersion: string;
  /** Where the dates come from, and when they were read. */
  readonly source: string;
}

const AWS_CALENDAR =
  'AWS EKS User Guide, kubernetes-versions.html release calendar (awsdocs/amazon-eks-user-guide, read 2026-11-25)';
const AWS_CALENDAR_OLD =
  'AWS EKS User Guide release calendar as of 2024-2025 (AWS EKS User Guide, kubernetes-versions.html; cross-checked with endoflife.date/amazon-eks, read 2026-11-25)';
const EOL_DATE = 'endoflife.date/amazon-eks (read 2026-11-25; stored copy of early 2026)';

/**
 * One row per minor version, oldest first. Patch and Go versions are representative (the last
 * upstream patch of the line where it has ended), not a promise of what EKS ran on a given day.
 * 1.37 (upstream 2026-08-26, kubernetes.io/releases/1.37) is not listed: no source read on
 * 2026-11-25 gives an EKS release date for it.
 */
export const EKS_CALENDAR: readonly CalendarRow[] = [
  {
    version: '1.23',
    upstreamRelease: '2021-12-07',
    eksRelease: '2022-08-11',
    endOfStandard: '2023-10-11',
    endOfExtended: '2024-10-11',
    patch: '1.23.17',
    goVersion: 'go1.19.6',
    source: `${AWS_CALENDAR_OLD}; the guide's FAQ: standard support for 1.23 ended on October 11, 2023`,
  },
  {
    version: '1.24',
    upstreamRelease: '2022-05-03',
    eksRelease: '2022-11-15',
    endOfStandard: '2024-01-31',
    endOfExtended: '2025-01-31',
    patch: '1.24.17',
    goVersion: 'go1.20.7',
    source: AWS_CALENDAR_OLD,
  },
  {
    version: '1.25',
    upstreamRelease: '2022-08-23',
    eksRelease: '2023-02-22',
    endOfStandard: '2024-05-01',
    endOfExtended: '2025-05-01',
    patch: '1.25.16',
    goVersion: 'go1.20.10',
    source: AWS_CALENDAR_OLD,
  },
  {
    version: '1.26',
    upstreamRelease: '2022-12-09',
    eksRelease: '2023-04-11',
    endOfStandard: '2024-06-11',
    endOfExtended: '2025-06-11',
    patch: '1.26.15',
    goVersion: 'go1.21.8',
    source: AWS_CALENDAR_OLD,
  },
  {
    version: '1.27',
    upstreamRelease: '2023-04-11',
    eksRelease: '2023-05-24',
    endOfStandard: '2024-07-24',
    endOfExtended: '2025-07-24',
    patch: '1.27.16',
    goVersion: 'go1.22.5',
    source: `${AWS_CALENDAR} (revision listing 1.27-1.33)`,
  },
  {
    version: '1.28',
    upstreamRelease: '2023-08-15',
    eksRelease: '2023-09-26',
    endOfStandard: '2024-11-26',
    endOfExtended: '2025-11-26',
    patch: '1.28.15',
    goVersion: 'go1.22.8',
    source: `${AWS_CALENDAR} (revision listing 1.27-1.33)`,
  },
  {
    version: '1.29',
    upstreamRelease: '2023-12-13',
    eksRelease: '2024-01-23',
    endOfStandard: '2025-03-23',
    endOfExtended: '2026-03-23',
    patch: '1.29.15',
    goVersion: 'go1.23.7',
    source: AWS_CALENDAR,
  },
  {
    version: '1.30',
    upstreamRelease: '2024-04-17',
    eksRelease: '2024-05-23',
    endOfStandard: '2025-07-23',
    endOfExtended: '2026-07-23',
    patch: '1.30.14',
    goVersion: 'go1.23.10',
    source: AWS_CALENDAR,
  },
  {
    version: '1.31',
    upstreamRelease: '2024-08-13',
    eksRelease: '2024-09-26',
    endOfStandard: '2025-11-26',
    endOfExtended: '2026-11-26',
    patch: '1.31.13',
    goVersion: 'go1.24.6',
    source: AWS_CALENDAR,
  },
  {
    version: '1.32',
    upstreamRelease: '2024-12-11',
    eksRelease: '2025-01-23',
    endOfStandard: '2026-03-23',
    endOfExtended: '2027-03-23',
    patch: '1.32.9',
    goVersion: 'go1.24.6',
    source: AWS_CALENDAR,
  },
  {
    version: '1.33',
    upstreamRelease: '2025-04-23',
    eksRelease: '2025-05-29',
    endOfStandard: '2026-07-29',
    endOfExtended: '2027-07-29',
    patch: '1.33.5',
    goVersion: 'go1.24.6',
    source: AWS_CALENDAR,
  },
  {
    version: '1.34',
    upstreamRelease: '2025-08-27',
    eksRelease: '2025-10-02',
    endOfStandard: '2026-12-02',
    endOfExtended: '2027-12-02',
    patch: '1.34.1',
    goVersion: 'go1.24.6',
    source: AWS_CALENDAR,
  },
  {
    version: '1.35',
    upstreamRelease: '2025-12-17',
    eksRelease: '2026-01-27',
    endOfStandard: '2027-03-27',
    endOfExtended: '2028-03-27',
    patch: '1.35.0',
    goVersion: 'go1.25.5',
    source: `AWS EKS User Guide, kubernetes-versions.html (secondary sources); ${EOL_DATE}: EKS release 2026-01-27/28, end of standard 2027-03-27, end of extended 2028-03-27`,
  },
  {
    version: '1.36',
    upstreamRelease: '2026-04-22',
    eksRelease: '2026-06-02',
    endOfStandard: '2027-08-02',
    endOfExtended: '2028-08-02',
    patch: '1.36.0',
    goVersion: 'go1.26.2',
    source:
      'upstream: kubernetes.io/releases/1.36 (1.36.0 released 2026-04-22); EKS release and end of standard: devopsdreams.blogspot.com 2026-08 "Kubernetes 1.36 on Amazon EKS" (third party; AWS page not in the stored docs); end of extended = end of standard + 12 months (AWS lifecycle rule). Read 2026-11-25',
  },
];

/** `YYYY-MM-DD` → epoch ms at 00:00 UTC. The table's dates are all well formed (tests check). */
export function dayStartMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

const ROWS = new Map(EKS_CALENDAR.map((row) => [row.version, row]));

export function calendarRow(version: string): CalendarRow | undefined {
  return ROWS.get(version);
}

/** `1.28` → 28; undefined for anything that is not `1.<minor>`. */
export function minorOf(version: string): number | undefined {
  const m = /^1\.(\d{1,3})$/.exec(version);
  return m ? Number(m[1]) : undefined;
}

export const nextMinor = (version: string): string => `1.${(minorOf(version) ?? 0) + 1}`;

/** The support phase of `version` at `atMs`. Throws RangeError for a version not in the table. */
export function supportPhase(version: string, atMs: number): SupportPhase {
  const row = ROWS.get(version);
  if (!row) throw new RangeError(`Kubernetes version ${version} is not in the EKS calendar`);
  if (atMs < dayStartMs(row.eksRelease)) return 'not-yet-released';
  if (atMs < dayStartMs(row.endOfStandard)) return 'standard';
  if (atMs < dayStartMs(row.endOfExtended)) return 'extended';
  return 'unsupported';
}

/**
 * Versions a new cluster may use at `atMs`, oldest first: any version in standard or extended
 * support ("You can create new Amazon EKS clusters on any version offered in standard or
 * extended support", kubernetes-versions.html).
 */
export function versionsOffered(atMs: number): string[] {
  return EKS_CALENDAR.filter((row) => {
    const phase = supportPhase(row.version, atMs);
    return phase === 'standard' || phase === 'extended';
  }).map((row) => row.version);
}

/**
 * Why EKS would refuse CreateCluster on `version` at `atMs` (its error text), or undefined when
 * it would accept. EKS answers an unknown or retired version with InvalidParameterException.
 */
export function validateCreateVersion(version: string, atMs: number): string | undefined {
  const offered = versionsOffered(atMs);
  if (offered.includes(version)) return undefined;
  return `unsupported Kubernetes version ${version} (versions offered on ${new Date(atMs).toISOString().slice(0, 10)}: ${offered.join(', ')})`;
}

export type UpgradePolicy = 'STANDARD' | 'EXTENDED';

export interface Boundary {
  readonly kind: 'end-of-standard-support' | 'end-of-extended-support';
  /** `YYYY-MM-DD`; the boundary is 00:00 UTC that day. */
  readonly date: string;
  readonly atMs: number;
  /** What happens to a cluster on `version` with this policy then. */
  readonly action: 'enters-extended-support' | 'automatic-upgrade';
  /** For an automatic upgrade: the version EKS moves the control plane to. */
  readonly upgradeTo?: string;
}

/**
 * The next boundary (after `atMs`, or at it) a cluster on `version` with `policy` will cross.
 * EXTENDED: end of standard (enters extended support), then end of extended (automatic
 * upgrade). STANDARD: end of standard is the automatic upgrade (AWS API reference,
 * UpgradePolicyRequest: "If the cluster is set to STANDARD, it will be automatically upgraded
 * at the end of standard support"; read 2026-11-25).
 */
export function nextBoundary(version: string, policy: UpgradePolicy, atMs: number): Boundary | undefined {
  const row = ROWS.get(version);
  if (!row) return undefined;
  const standardEnd = dayStartMs(row.endOfStandard);
  const extendedEnd = dayStartMs(row.endOfExtended);
  const upgradeTo = autoUpgradeTarget(version);
  if (policy === 'STANDARD') {
    return {
      kind: 'end-of-standard-support',
      date: row.endOfStandard,
      atMs: standardEnd,
      action: 'automatic-upgrade',
      upgradeTo,
    };
  }
  if (atMs < standardEnd) {
    return {
      kind: 'end-of-standard-support',
      date: row.endOfStandard,
      atMs: standardEnd,
      action: 'enters-extended-support',
    };
  }
  return {
    kind: 'end-of-extended-support',
    date: row.endOfExtended,
    atMs: extendedEnd,
    action: 'automatic-upgrade',
    upgradeTo,
  };
}

/**
 * Where the automatic upgrade goes: one minor version up. The lifecycle page says "the oldest
 * currently supported extended version", its FAQ "the next version"; with the calendar both are
 * N+1 (AWS EKS User Guide, kubernetes-versions.html). The lab notes say "the latest version": the documentation wins.
 */
export function autoUpgradeTarget(version: string): string | undefined {
  const next = nextMinor(version);
  return ROWS.has(next) ? next : undefined;
}

/**
 * The kubelet version-skew rule (kubernetes.io "Version Skew Policy", AWS EKS User Guide, kubernetes-versions.html): a kubelet
 * must not be newer than kube-apiserver and may be up to three minor versions older (two when
 * the API server is older than 1.28, i.e. for kubelets older than 1.25).
 */
export function maxKubeletSkew(apiServerVersion: string): number {
  return (minorOf(apiServerVersion) ?? 0) >= 28 ? 3 : 2;
}

export type SkewStatus = 'same' | 'within-policy' | 'at-limit' | 'beyond-policy' | 'newer-than-api-server';

export function kubeletSkew(
  apiServerVersion: string,
  kubeletVersion: string,
): { minorsBehind: number; status: SkewStatus } {
  const behind = (minorOf(apiServerVersion) ?? 0) - (minorOf(kubeletVersion) ?? 0);
  const max = maxKubeletSkew(apiServerVersion);
  const status: SkewStatus =
    behind < 0
      ? 'newer-than-api-server'
      : behind === 0
        ? 'same'
        : behind < max
          ? 'within-policy'
          : behind === max
            ? 'at-limit'
            : 'beyond-policy';
  return { minorsBehind: behind, status };
}

export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
