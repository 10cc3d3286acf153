import { createInterface } from 'node:readline';
import { createSimulation, needsMoreInput, type Simulation } from '@eks-sim/sim-core';
import { parseFlags } from './args';
import { loadScenarioArg, parseSeedArg } from './scenario-arg';
import { UsageError } from './usage-error';

const HELP = `usage: eks-sim shell [--scenario NAME|FILE] [--seed N] [--from VANTAGE]

The simulated shell, one session for the whole input. On a terminal: interactive, with
history and tab completion of tool names. Otherwise it runs the lines it reads from stdin in
order, printing each prompt, the line and its output (a transcript), so a whole lab can be
piped in:  npx eks-sim shell --scenario seed-lab < docs/lessons/seed-week1.sh
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

/** What a line printed: each stream, and both in the order a terminal shows them. */
interface Shown {
  readonly stdout: string;
  readonly stderr: string;
  readonly output: string;
}

/**
 * Where the terminal is: the vantage lines run on, and the ssh logins it is inside
 * (`ssh ec2-user@…` without a command logs in; `exit` logs out, back to where it was).
 */
class Terminal {
  private readonly logins: { from: string; address: string }[] = [];
  status = 0;

  constructor(
    private readonly sim: Simulation,
    private from: string,
  ) {}

  get vantage(): string {
    return this.from;
  }

  prompt(): string {
    return this.sim.domains.shell.prompt(this.from);
  }

  /** Runs one complete input; returns the exit status when the session ends. */
  run(text: string, write: (shown: Shown) => void): number | undefined {
    const stop = exitStatus(text, this.status);
    if (stop !== undefined) {
      const login = this.logins.pop();
      if (!login) return stop;
      const bye = `logout\nConnection to ${login.address} closed.\n`;
      write({ stdout: bye, stderr: '', output: bye });
      this.from = login.from;
      this.status = stop;
      return undefined;
    }
    const result = this.sim.exec(text, { from: this.from });
    write(result);
    this.status = result.exitCode;
    if (result.login) {
      this.logins.push({ from: this.from, address: result.login.address });
      this.from = result.login.from;
    }
    return undefined;
  }
}

/** Reads all of stdin, runs it as one session, and prints a transcript on stdout. */
async function runPiped(sim: Simulation, from: string): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const lines = Buffer.concat(chunks).toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const terminal = new Terminal(sim, from);
  // A transcript keeps stdout and stderr in the order a terminal shows them.
  const run = (text: string) => {
    process.stdout.write(`${terminal.prompt()}${text.split('\n').join('\n> ')}\n`);
    return terminal.run(text, (shown) => process.stdout.write(shown.output));
  };
  let pending: string[] = [];
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
  return terminal.status;
}

/** Interactive: readline with history, tab completion of tool names, bash's `> ` for continuations. */
function runInteractive(sim: Simulation, from: string): Promise<number> {
  const terminal = new Terminal(sim, from);
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: true,
    historySize: 1000,
    // Tab: tool names, $VARIABLES, aws services/operations/options, eksctl and kubectl commands.
    completer: (line: string): [string[], string] => {
      const current = line.split(/\s+/).pop() ?? '';
      return [sim.domains.shell.complete(line, terminal.vantage), current];
    },
  });
  let pending: string[] = [];
  return new Promise((resolve) => {
    rl.setPrompt(terminal.prompt());
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
      const stop = terminal.run(text, (shown) => {
        process.stdout.write(shown.stdout);
        process.stderr.write(shown.stderr);
      });
      if (stop !== undefined) {
        rl.close();
        resolve(stop);
        return;
      }
      rl.setPrompt(terminal.prompt());
      rl.prompt();
    });
    rl.on('close', () => {
      process.stdout.write('\n');
      resolve(terminal.status);
    });
  });
}

/** `eks-sim shell`: the simulated shell over one simulation. */
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
