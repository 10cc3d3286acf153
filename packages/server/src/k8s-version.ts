/**
 * The `/version` document of a control plane on `version` (`1.28`). Placeholder until
 * sim-core exports the versions domain's `serverVersionInfo` (the calendar's patch releases).
 */
export function kubernetesVersionDocument(version: string) {
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
