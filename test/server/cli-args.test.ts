import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../packages/server/src/cli/args';
import { loadScenarioArg, parseSeedArg } from '../../packages/server/src/cli/scenario-arg';
import { UsageError } from '../../packages/server/src/cli/usage-error';

const oneLine = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a UsageError');
};

describe('command-line flags', () => {
  const options = { seed: { type: 'string' }, json: { type: 'boolean' } } as const;

  it('names an unknown flag in one line', () => {
    expect(oneLine(() => parseFlags('run', ['--bogus'], options))).toMatch(/run: Unknown option '--bogus'/);
  });

  it('explains a value that starts with a dash in one line', () => {
    expect(oneLine(() => parseFlags('run', ['--seed', '-3'], options))).toBe(
      'run: --seed needs a value; for a value that starts with "-", write --seed=<value>',
    );
  });

  it('refuses a seed that is not a 32-bit unsigned integer', () => {
    expect(oneLine(() => parseSeedArg('-3'))).toMatch(/--seed must be an integer/);
    expect(oneLine(() => parseSeedArg('4294967296'))).toMatch(/--seed must be an integer/);
    expect(parseSeedArg('7')).toBe(7);
  });

  it('names an unknown scenario and lists the built-in ones', () => {
    expect(oneLine(() => loadScenarioArg('no-such-scenario'))).toMatch(
      /unknown scenario "no-such-scenario".*seed-week1/,
    );
  });
});
