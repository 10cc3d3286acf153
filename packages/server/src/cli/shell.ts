import { createInterface } from 'node:readline';
import { createSimulation, needsMoreInput, type Simulation } from '@eks-sim/sim-core';
import { parseFlags } from './args';
import { loadScenarioArg, parseSeedArg } from './scenario-arg';
import { UsageError } from './usage-error';

const HELP = `usage: eks-sim shell [--scenario NAME|FILE] [--seed N] [--from VANTAGE]

The simulated shell, one session for the whole input. On a terminal: interactive, with
history and tab completion of tool names. Otherwise it runs the lines it reads from stdin in
order, printing each prompt, the line and its output (a transcript), so a whole lab can be
piped in:  pnpm -s eks-sim shell --scenario seed-lab < docs/lessons/seed-week1.sh
  --scenario  a built-in scenario name or a YAML/JSON file (default seed-week1)
  --seed      root seed of every random stream (default: the scenario's)
  --from      vantage host: bastion (default, myeks-host), laptop, or a node's name
Exit status: the last line's, or the one given to exit.
`;

/** `exit [N]` ends the session (the simulated shell's builtin only returns N). */
function exitStatus(line: string, last: number): number | undefined {
  const m = /^\s*exit(?:\s+(\d+))?\s*$/.exec(line);
  if (!m) return undefined;
  return m[1] === undefined ? last : Number(m[1]) & 255;
}

/** Reads all of stdin, runs it as one session, and prints a transcript on stdout. */
async function runPiped(sim: Simulation, from: string): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const lines = Buffer.concat(chunks).toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let status = 0;
  let pending: string[] = [];
  const run = (text: string) => {
    const shown = text.split('\n').join('\n> ');
    process.stdout.write(`${sim.domains.shell.prompt(from)}${shown}\n`);
    const stop = exitStatus(text, status);
    if (stop !== undefined) return stop;
    const result = sim.exec(text, { from });
    process.stdout.write(result.output);
    status = result.exitCode;
    return undefined;
  };
  for (const line of lines) {
    pending.push(line);
    const text = pending.join('\n');
    if (needsMoreInput(text)) continue;
    pending = [];
    const stop = run(text);
    if (stop !== undefined) return stop;
  }
  if (pending.length) {
    // Input ended inside a quote or a here-document: bash reports it and stops.
    const stop = run(pending.join('\n'));
    if (stop !== undefined) return stop;
  }
  return status;
}

/** Interactive: readline with history, tab completion of tool names, bash's `> ` for continuations. */
function runInteractive(sim: Simulation, from: string): Promise<number> {
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: true,
    historySize: 1000,
    // Tab: tool names, $VARIABLES, aws services/operations/options, eksctl and kubectl commands.
    completer: (line: string): [string[], string] => {
      const current = line.split(/\s+/).pop() ?? '';
      return [sim.domains.shell.complete(line, from), current];
    },
  });
  const prompt = () => sim.domains.shell.prompt(from);
  let status = 0;
  let pending: string[] = [];
  return new Promise((resolve) => {
    rl.setPrompt(prompt());
    rl.prompt();
    rl.on('line', (line) => {
      pending.push(line);
      const text = pending.join('\n');
      if (needsMoreInput(text)) {
        rl.setPrompt('> ');
        rl.prompt();
        return;
      }
      pending = [];
      const stop = exitStatus(text, status);
      if (stop !== undefined) {
        rl.close();
        resolve(stop);
        return;
      }
      const result = sim.exec(text, { from });
      process.stdout.write(result.stdout);
      process.stderr.write(result.stderr);
      status = result.exitCode;
      rl.setPrompt(prompt());
      rl.prompt();
    });
    rl.on('close', () => {
      process.stdout.write('\n');
      resolve(status);
    });
  });
}

/** `eks-sim shell`: the simulated shell over one simulation (issue 5 §5). */
export async function shellCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags('shell', argv, {
    scenario: { type: 'string' },
    seed: { type: 'string' },
    from: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const scenario = loadScenarioArg(values.scenario);
  const sim = createSimulation(scenario, { seed: parseSeedArg(values.seed) });
  const from = values.from ?? 'bastion';
  const vantages = sim.domains.shell.vantages();
  if (!vantages.includes(from))
    throw new UsageError(`shell: unknown vantage "${from}" (known: ${vantages.join(', ')})`);
  return process.stdin.isTTY ? runInteractive(sim, from) : runPiped(sim, from);
}
