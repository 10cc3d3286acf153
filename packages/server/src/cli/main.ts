import { isMainThread } from 'node:worker_threads';
import { campaignCommand } from './campaign/campaign';
import { execCommand } from './exec';
import { runCommand } from './run';
import { scenarioCommand } from './scenario';
import { serveCommand } from './serve';
import { shellCommand } from './shell';
import { UsageError } from './usage-error';
import { versionsCommand } from './versions';
import { whatifCommand } from './whatif';

/** The `eks-sim` command line: a thin shell over sim-core and the server; no model logic here. */
const SUBCOMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; summary: string }> = {
  run: { run: runCommand, summary: 'simulate a scenario and print a summary (or --json)' },
  whatif: { run: whatifCommand, summary: 'what if the endpoint were public / private: who reaches the API server' },
  versions: { run: versionsCommand, summary: 'the EKS version calendar and each version’s support phase on a date' },
  exec: { run: execCommand, summary: 'run one line of the simulated shell (eksctl, aws, kubectl, dig, curl)' },
  shell: { run: shellCommand, summary: 'the simulated shell, interactive or reading lines from stdin' },
  serve: { run: serveCommand, summary: 'serve sessions, the live view and the EKS-compatible API' },
  scenario: { run: scenarioCommand, summary: 'list, show, start (new) and validate scenario files' },
  campaign: { run: campaignCommand, summary: 'run the control-plane property over many schedules on every core' },
};

function usage(): string {
  const lines = Object.entries(SUBCOMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return `usage: eks-sim <command> [flags]\n\ncommands:\n${lines.join('\n')}\n\nRun "eks-sim <command> --help" for its flags.\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const sub = SUBCOMMANDS[name];
  try {
    if (!sub) throw new UsageError(`unknown command "${name}" (known: ${Object.keys(SUBCOMMANDS).join(', ')})`);
    return await sub.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`eks-sim: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

// The campaign's worker threads load this file too (as the bundle); only the main thread runs the CLI.
if (isMainThread)
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`eks-sim: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
