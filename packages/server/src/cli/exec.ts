import { createSimulation } from '@eks-sim/sim-core';
import { parseFlags } from './args';
import { loadScenarioArg, parseSeedArg } from './scenario-arg';
import { UsageError } from './usage-error';

const HELP = `usage: eks-sim exec [--scenario NAME|FILE] [--seed N] [--from VANTAGE] -- <command line>

Runs one line of the simulated shell (eksctl, aws, kubectl, dig, curl, echo, export, …) in a
fresh simulation and exits with the line's status.
  --scenario  a built-in scenario name or a YAML/JSON file (default seed-week1)
  --seed      root seed of every random stream (default: the scenario's)
  --from      vantage host: bastion (default, myeks-host), laptop, or a node's name

Example: eks-sim exec -- 'dig +short $(aws eks describe-cluster --name $CLUSTER_NAME --query cluster.endpoint --output text | cut -c9-)'
`;

/**
 * One argument is a whole line, given to the simulated shell as typed. Several are words your
 * shell already split: a word with blanks in it is kept whole (double-quoted, so `$VARS` in it
 * still expand on the simulated host).
 */
export function commandLine(words: readonly string[]): string {
  if (words.length === 1) return words[0] as string;
  return words.map((w) => (/[\s]/.test(w) || w === '' ? `"${w.replace(/(["\\`])/g, '\\$1')}"` : w)).join(' ');
}

/** `eks-sim exec`: one shell line, the output as the tools print it, the line's exit status. */
export async function execCommand(argv: string[]): Promise<number> {
  const dash = argv.indexOf('--');
  const flagArgs = dash >= 0 ? argv.slice(0, dash) : argv;
  const lineArgs = dash >= 0 ? argv.slice(dash + 1) : [];
  const { values, positionals } = parseFlags(
    'exec',
    flagArgs,
    {
      scenario: { type: 'string' },
      seed: { type: 'string' },
      from: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const words = [...positionals, ...lineArgs];
  if (words.length === 0)
    throw new UsageError('exec: give the command line after --, e.g. eks-sim exec -- kubectl get nodes');
  const scenario = loadScenarioArg(values.scenario);
  const sim = createSimulation(scenario, { seed: parseSeedArg(values.seed) });
  const from = values.from ?? 'bastion';
  const vantages = sim.domains.shell.vantages();
  if (!vantages.includes(from)) {
    throw new UsageError(`exec: unknown vantage "${from}" (known: ${vantages.join(', ')})`);
  }
  const result = sim.exec(commandLine(words), { from });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.exitCode;
}
