import { parseDate } from '../engine/duration';
import { hashName } from '../engine/prng';
import { calendarRow } from './calendar';
import { EKS_PLATFORM_VERSIONS } from './platform-versions';

/** The Kubernetes `/version` document (k8s.io/apimachinery `version.Info`), as EKS serves it (docs/lessons/seed-week1.md). */
export interface ServerVersionInfo {
  readonly major: string;
  readonly minor: string;
  readonly gitVersion: string;
  readonly gitCommit: string;
  readonly gitTreeState: string;
  readonly buildDate: string;
  readonly goVersion: string;
  readonly compiler: string;
  readonly platform: string;
}

/** Stable hex digits derived from a name: the same version always shows the same build. */
function hexOf(name: string, digits: number): string {
  let out = '';
  for (let i = 0; out.length < digits; i++) out += hashName(`${name}#${i}`).toString(16).padStart(8, '0');
  return out.slice(0, digits);
}

export interface PlatformRelease {
  /** Kubernetes patch release, `1.28.5`. */
  readonly patch: string;
  /** EKS platform version, `eks.7`. */
  readonly platformVersion: string;
  /** Its release date, `2024-01-17`. */
  readonly date: string;
}

const releasesOf = (minor: string): PlatformRelease[] =>
  (EKS_PLATFORM_VERSIONS[minor] ?? []).map(([patch, platformVersion, date]) => ({ patch, platformVersion, date }));

/** The newest platform version of `minor` released by `atMs` (none before its first, or for a minor not tabled). */
export function platformReleaseOn(minor: string, atMs: number): PlatformRelease | undefined {
  return releasesOf(minor)
    .filter((r) => (parseDate(r.date) ?? Number.POSITIVE_INFINITY) <= atMs)
    .at(-1);
}

/** The platform version EKS gives a cluster of `minor` on that day; `eks.1` where the table has none. */
export const platformVersionOn = (minor: string, atMs: number): string =>
  platformReleaseOn(minor, atMs)?.platformVersion ?? 'eks.1';

/**
 * What `kubectl version` and `curl https://<endpoint>/version` show for a control plane on
 * `version` and `platformVersion` (`1.28`, `eks.7` → gitVersion `v1.28.5-eks-<7 hex>`, built
 * on that platform version's release day, minor `28+` as EKS reports it). Without a platform
 * version the table knows, the calendar's representative patch. Undefined for a version not in
 * the calendar.
 */
export function serverVersionInfo(version: string, platformVersion?: string): ServerVersionInfo | undefined {
  const row = calendarRow(version);
  if (!row) return undefined;
  const [major, minor] = version.split('.') as [string, string];
  const release = releasesOf(version).find((r) => r.platformVersion === platformVersion);
  const patch = release?.patch ?? row.patch;
  return {
    major,
    // EKS builds report the minor with a trailing "+" (a vendor build of upstream).
    minor: `${minor}+`,
    gitVersion: `v${patch}-eks-${hexOf(`eks-build-${patch}`, 7)}`,
    gitCommit: hexOf(`eks-commit-${patch}`, 40),
    gitTreeState: 'clean',
    buildDate: `${release?.date ?? row.eksRelease}T00:00:00Z`,
    goVersion: row.goVersion,
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
