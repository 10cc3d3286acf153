import { createSimulation, scenarios } from '@eks-sim/sim-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/**
 * Whatever a learner pastes, the simulated shell answers: every line gives an exit status from
 * 0 to 255 and output, and never throws — half-remembered tutorial lines, stray quotes and
 * operators, loops and arithmetic, pipes into the text filters and jq, flags the tools do not
 * know. A failure prints its seed, the shrunk line and the command that replays it
 * (SHELL_PROPERTY_SEED, SHELL_PROPERTY_PATH; SHELL_PROPERTY_RUNS for a longer run).
 */
const fragment = fc.constantFrom(
  'echo',
  'aws',
  'eks',
  'describe-cluster',
  'list-clusters',
  '--name',
  'myeks',
  '--query',
  'cluster.status',
  '--output',
  'text',
  'kubectl',
  'get',
  'nodes',
  '-o',
  'json',
  '--help',
  '-h',
  'help',
  '--version',
  'curl',
  '-k',
  '-s',
  'https://1.2.3.4/',
  '-H',
  '"Authorization: Bearer abc"',
  'dig',
  '+short',
  'ssh',
  'eksctl',
  'version',
  'grep',
  '-i',
  '-v',
  '-c',
  '-E',
  "'a|b'",
  '\\(',
  'wc',
  '-l',
  'head',
  'tail',
  '-n',
  '+2',
  'sort',
  '-nru',
  'uniq',
  '-c',
  'jq',
  '-r',
  '\'.items[] | select(.x == "y") | .a\'',
  "'.[' ",
  'keys',
  'seq',
  '3',
  'tr',
  'printf',
  "'%s\\n'",
  'for',
  'x',
  'in',
  'do',
  'done',
  'if',
  'then',
  'fi',
  '$x',
  '${X:-d}',
  '${',
  '$((1+2))',
  '$((1/0))',
  '$((',
  '$(echo a)',
  '$(',
  '{1..3}',
  'X=1',
  'export',
  'Y=$X',
  '|',
  '||',
  '&&',
  ';',
  ';;',
  '&',
  '(',
  ')',
  '>',
  '>/dev/null',
  '2>&1',
  '<<EOF',
  '"',
  "'",
  '\\',
  '\n',
  '#',
  'foo',
  '$?',
);

const pastedLine = fc.oneof(
  { weight: 4, arbitrary: fc.array(fragment, { minLength: 1, maxLength: 12 }).map((words) => words.join(' ')) },
  { weight: 1, arbitrary: fc.array(fragment, { minLength: 1, maxLength: 12 }).map((words) => words.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

function replayOptions(): { seed?: number; path?: string } {
  const seed = process.env.SHELL_PROPERTY_SEED;
  const path = process.env.SHELL_PROPERTY_PATH;
  return { ...(seed ? { seed: Number(seed) } : {}), ...(path ? { path } : {}) };
}

describe('the simulated shell on random pasted lines', () => {
  it('never throws, and every line gives an exit status 0–255 and its output', () => {
    // One simulation for the whole run, as a terminal keeps one: state left by a line
    // (variables, files, `$?`) is part of what the next line meets.
    const sim = createSimulation(scenarios['seed-week1']);
    const details = fc.check(
      fc.property(fc.array(pastedLine, { minLength: 1, maxLength: 3 }), (lines) => {
        for (const line of lines) {
          const result = sim.exec(line);
          expect(Number.isInteger(result.exitCode) && result.exitCode >= 0 && result.exitCode <= 255).toBe(true);
          expect(typeof result.output).toBe('string');
          expect(result.output.length).toBe(result.stdout.length + result.stderr.length);
          // A tool that throws is reported as exit 70 by the shell: still a simulator bug.
          expect(result.stderr).not.toContain('internal error in the simulator');
        }
      }),
      { numRuns: Number(process.env.SHELL_PROPERTY_RUNS ?? 300), ...replayOptions() },
    );
    if (details.failed) {
      const replay = `SHELL_PROPERTY_SEED=${details.seed} SHELL_PROPERTY_PATH=${details.counterexamplePath} npx vitest run test/property/shell-never-crashes.test.ts`;
      throw new Error(
        `a pasted line broke the shell (seed ${details.seed}): ${JSON.stringify(details.counterexample)}\n` +
          `${String(details.errorInstance)}\nreplay: ${replay}`,
      );
    }
    console.log(`shell-never-crashes: ${details.numRuns} runs, seed ${details.seed}`);
  });
});
