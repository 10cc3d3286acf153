/**
 * A failing command run as the README says prints the simulator's one-line error and nothing
 * from the package manager (no `[ELIFECYCLE] Command failed`, no npm error block).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli';

const readme = readFileSync(`${REPO_ROOT}README.md`, 'utf8');
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] as string).trim());
/** The start half of the README's first set-up command (`… install && <this>`). */
const startCommand = (blocks[0] ?? '').split('&&').at(-1)?.trim() ?? '';
/** How the README's tour calls the command line: the words before `run`. */
const cliCommand = blocks
  .flatMap((b) => b.split('\n'))
  .map((line) => /^(.*?eks-sim) run /.exec(line)?.[1])
  .find(Boolean);

function sh(command: string) {
  const result = spawnSync('bash', ['-c', command], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

const PACKAGE_MANAGER_NOISE = /ELIFECYCLE|npm (error|ERR!)|Command failed with exit code/;

describe('a failing command run the README’s way', () => {
  it('the tour’s command line: exit 2 and the simulator’s error alone', () => {
    expect(cliCommand).toBeDefined();
    const { code, output } = sh(`${cliCommand} run --scenario no-such-scenario`);
    expect(code).toBe(2);
    expect(output).toContain('eks-sim: unknown scenario "no-such-scenario"');
    expect(output).not.toMatch(PACKAGE_MANAGER_NOISE);
    expect(output.trim().split('\n')).toHaveLength(1);
  });

  it('the start command: exit 2 and the simulator’s error alone', () => {
    expect(startCommand).toMatch(/ start$/);
    const { code, output } = sh(`${startCommand} --no-such-flag`);
    expect(code).toBe(2);
    expect(output).toContain("Unknown option '--no-such-flag'");
    expect(output).not.toMatch(PACKAGE_MANAGER_NOISE);
  });
});
