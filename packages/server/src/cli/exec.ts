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
  // One argument is a whole line (quotes kept for the simulated shell); several are joined as ssh joins them.
  const result = sim.exec(words.join(' '), { from });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.exitCode;
}
