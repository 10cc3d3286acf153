import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli';

const LAUNCHER = `${REPO_ROOT}packages/server/launch.mjs`;
const INPUTS = `${REPO_ROOT}packages/server/dist/cli/eks-sim.inputs.json`;

describe('pnpm start / pnpm eks-sim run the CLI from an esbuild bundle with plain node', () => {
  it('runs a command through the bundle and records every source it was built from', () => {
    const result = spawnSync(process.execPath, [LAUNCHER, 'versions'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('PHASE ON');
    expect(existsSync(`${REPO_ROOT}packages/server/dist/cli/eks-sim.mjs`)).toBe(true);
    const inputs: string[] = JSON.parse(readFileSync(INPUTS, 'utf8'));
    // Staleness is judged on these files: the CLI entry and the model must both be among them.
    expect(inputs).toContain('packages/server/src/cli/main.ts');
    expect(inputs.some((path) => path.startsWith('packages/sim-core/src/'))).toBe(true);
  });
});
