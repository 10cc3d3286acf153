/**
 * The real clients on this machine: kubectl, AWS CLI v1 (pip) and v2 (Debian's awscli). Tests
 * that need one skip with a printed reason when it is missing, unless EKS_SIM_REQUIRE_CLIENTS
 * is set (CI, by .ci/run), where a missing client fails them. Each client runs with its own
 * HOME and no AWS profile, so nothing of the machine's own AWS or kube configuration leaks in.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type AwsCliMajor = 1 | 2;

const versionOf = (command: string): string => {
  const run = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  return run.status === 0 ? `${run.stdout}${run.stderr}`.trim() : '';
};

/** Every `aws` on PATH, then Debian's. */
function awsCandidates(): string[] {
  const onPath = (process.env.PATH ?? '').split(':').map((dir) => join(dir, 'aws'));
  return [...new Set([...onPath, '/usr/bin/aws'])];
}

const found = new Map<AwsCliMajor, string | null>();

/** The AWS CLI of that major version (`EKS_SIM_AWS_V1`/`EKS_SIM_AWS_V2` name one), or null. */
export function awsCli(major: AwsCliMajor): string | null {
  if (!found.has(major)) {
    const named = process.env[`EKS_SIM_AWS_V${major}`];
    const candidates = named ? [named] : awsCandidates();
    found.set(major, candidates.find((c) => versionOf(c).startsWith(`aws-cli/${major}.`)) ?? null);
  }
  return found.get(major) ?? null;
}

let kubectlFound: boolean | undefined;

/** `kubectl` when it runs here, else null. */
export function kubectl(): string | null {
  kubectlFound ??= spawnSync('kubectl', ['version', '--client'], { timeout: 60_000 }).status === 0;
  return kubectlFound ? 'kubectl' : null;
}

/** Whether the named clients are here; prints what is missing (or throws under EKS_SIM_REQUIRE_CLIENTS). */
export function clientsAvailable(needs: {
  readonly kubectl?: boolean;
  readonly aws?: readonly AwsCliMajor[];
}): boolean {
  const missing: string[] = [];
  if (needs.kubectl && kubectl() === null) missing.push('kubectl');
  for (const major of needs.aws ?? []) {
    if (awsCli(major) === null) {
      missing.push(major === 2 ? 'AWS CLI v2 (apt-get install -y awscli)' : 'AWS CLI v1 (pip install awscli)');
    }
  }
  if (missing.length === 0) return true;
  const why = `real-client tests skipped: ${missing.join(', ')} not found`;
  if (process.env.EKS_SIM_REQUIRE_CLIENTS) throw new Error(`EKS_SIM_REQUIRE_CLIENTS is set but ${why.slice(21)}`);
  console.warn(why);
  return false;
}

export interface ClientRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A place for one user's clients: its own HOME, KUBECONFIG and a bin directory whose `aws` is
 * the chosen CLI (the kubeconfig's exec plugin runs plain `aws eks get-token`).
 */
export function clientHome(aws: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
  const home = mkdtempSync(join(tmpdir(), 'eks-sim-client-'));
  const bin = join(home, 'bin');
  mkdirSync(bin);
  symlinkSync(aws, join(bin, 'aws'));
  const kubeconfig = join(home, '.kube', 'config');
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    HOME: home,
    KUBECONFIG: kubeconfig,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_CONFIG_FILE: join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
    AWS_PAGER: '',
    ...(process.env.PYENV_ROOT ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
  };
  /** Runs a client, with `extraEnv` over this home's (another user's AWS keys, say). */
  const run = (command: string, args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<ClientRun> =>
    new Promise((resolve) => {
      const options = { env: { ...env, ...extraEnv }, timeout: 120_000, encoding: 'utf8' as const };
      const child = execFile(command, args, options, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
      // kubectl without credentials prompts for a user name: no terminal, no prompt.
      child.stdin?.end();
    });
  return { home, kubeconfig, env, run };
}
