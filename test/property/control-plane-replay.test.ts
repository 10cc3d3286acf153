/**
 * A failure's printed replay command replays that very failure. The property module's canary
 * invariant ("no etcd member is ever down", on with CP_PROPERTY_CANARY=1) makes the property
 * fail on purpose; the command `eks-sim campaign` prints for it is run verbatim in a shell, and
 * so is the one the vitest property test prints in turn: each must fail the same way, on the
 * same shrunk schedule, without shrinking further.
 */
import { spawnSync } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers/cli';

/** The environment of a fresh run with the canary on (the outer vitest's own variables removed). */
function canaryEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CP_PROPERTY_CANARY: '1' };
  for (const key of Object.keys(env))
    if (key.startsWith('VITEST') || (key.startsWith('CP_PROPERTY_') && key !== 'CP_PROPERTY_CANARY')) delete env[key];
  return env;
}

/** Runs a printed command as a user would paste it, from the repository's root. */
function runPrinted(command: string): string {
  const result = spawnSync('sh', ['-c', command], {
    cwd: REPO_ROOT,
    env: canaryEnv(),
    encoding: 'utf8',
    timeout: 300_000,
  });
  expect(result.status, `${command}\n${result.stdout}${result.stderr}`).toBe(1);
  return `${result.stdout}${result.stderr}`;
}

function printedFailure(output: string): { error: string; schedule: string; replay: string } {
  const plain = stripVTControlCharacters(output);
  const error = /the control-plane property failed: .*\n {2}(.*)\n/.exec(plain)?.[1];
  const schedule = /shrunk schedule: (.*)/.exec(plain)?.[1];
  const replay = /replay: (.*)/.exec(plain)?.[1];
  if (!error || !schedule || !replay) throw new Error(`no failure printed in:\n${plain}`);
  return { error, schedule, replay };
}

describe('replaying a printed failure', () => {
  it('the command a campaign prints for a violation replays it, and the property test prints the same command again', () => {
    const campaign = runCli(
      ['campaign', '--runs', '4', '--seed', '11', '--scenario', 'az-outage', '--workers', '1', '--json'],
      {
        env: canaryEnv(),
        timeoutMs: 300_000,
      },
    );
    expect(campaign.code, campaign.stderr).toBe(1);
    const violation = JSON.parse(campaign.stdout).violations[0];
    expect(violation.error).toContain('canary-no-etcd-member-down');
    expect(violation.replay).toMatch(
      /^CP_PROPERTY_SEED=\d+ CP_PROPERTY_PATH=[\d:]+ CP_PROPERTY_REPLAY='[^']*' npx vitest run /,
    );

    const replayed = printedFailure(runPrinted(violation.replay));
    expect(replayed).toEqual({ error: violation.error, schedule: violation.counterexample, replay: violation.replay });
  }, 600_000);

  it('the command the vitest property test prints for a failure it found replays it', () => {
    const found = printedFailure(
      runPrinted('CP_PROPERTY_SEED=7 npx vitest run test/property/control-plane.test.ts -t seed-week1'),
    );
    expect(found.error).toContain('canary-no-etcd-member-down');
    expect(printedFailure(runPrinted(found.replay))).toEqual(found);
  }, 600_000);
});
