import { type ServerVersionInfo, serverVersionInfo } from '../../versions/server-version';

/**
 * The `/version` document of a control plane on `version` (`1.28`) and `platformVersion`
 * (`eks.7`), from the versions tables (the Kubernetes patch of that platform version). A version outside the calendar
 * still answers, with a `.0` patch, as a best effort.
 */
export function versionDocument(version: string, platformVersion?: string): ServerVersionInfo {
  const known = serverVersionInfo(version, platformVersion);
  if (known) return known;
  const [major, minor] = version.split('.');
  return {
    major: major ?? '1',
    minor: `${minor ?? '0'}+`,
    gitVersion: `v${version}.0-eks-0000000`,
    gitCommit: '0'.repeat(40),
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
    goVersion: 'go1.21',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
