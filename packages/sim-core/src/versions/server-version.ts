import { hashName } from '../engine/prng';
import { calendarRow } from './calendar';

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

/**
 * What `kubectl version` and `curl https://<endpoint>/version` show for a control plane on
 * `version` (`1.28` → gitVersion `v1.28.15-eks-<7 hex>`, minor `28+` as EKS reports it).
 * Undefined for a version not in the calendar.
 */
export function serverVersionInfo(version: string): ServerVersionInfo | undefined {
  const row = calendarRow(version);
  if (!row) return undefined;
  const [major, minor] = version.split('.') as [string, string];
  return {
    major,
    // EKS builds report the minor with a trailing "+" (a vendor build of upstream).
    minor: `${minor}+`,
    gitVersion: `v${row.patch}-eks-${hexOf(`eks-build-${row.patch}`, 7)}`,
    gitCommit: hexOf(`eks-commit-${row.patch}`, 40),
    gitTreeState: 'clean',
    buildDate: `${row.eksRelease}T00:00:00Z`,
    goVersion: row.goVersion,
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
