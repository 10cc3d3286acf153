import { createSimulation, ENDPOINT_MODES, type EndpointMode } from '@eks-sim/sim-core';
import { parseFlags } from './args';
import { loadScenarioArg, parseSeedArg } from './scenario-arg';
import { UsageError } from './usage-error';

const HELP = `usage: eks-sim whatif endpoint [--scenario NAME|FILE] [--json] [--mode public|public-private|private]
                                [--public-cidrs LIST] [--allow CLIENT[,CLIENT]] [--seed N]

Who reaches the API server in each endpoint access mode, by which hops, and if not, where it is
refused and the smallest fix (docs/endpoint-modes.md). Nothing in the scenario changes: it is a what-if.

  --scenario     built-in scenario name or YAML/JSON file (default seed-week1)
  --mode         one mode instead of all three
  --public-cidrs comma-separated publicAccessCidrs to assume (default: the cluster's)
  --allow        clients to let through first with their fix (e.g. bastion: the 443 rule)
  --json         one JSON array of rows {mode, client, reachable, via, path, refusedAt, fix, ...}

clients: laptop, bastion, node-public, node-private (a hypothetical node when the scenario has none there)
`;

type Row = ReturnType<ReturnType<typeof createSimulation>['domains']['endpoint']['whatIf']>[number];

const splitList = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);

/** `eks-sim whatif endpoint …`: a thin shell over the endpoint domain's pure what-if. */
export async function whatifCommand(argv: string[]): Promise<number> {
  const [topic, ...rest] = argv;
  if (topic === '--help' || topic === '-h' || topic === undefined) {
    process.stdout.write(HELP);
    return topic === undefined ? 2 : 0;
  }
  if (topic !== 'endpoint') throw new UsageError(`whatif: unknown topic "${topic}" (known: endpoint)`);
  const { values } = parseFlags('whatif endpoint', rest, {
    scenario: { type: 'string' },
    json: { type: 'boolean' },
    mode: { type: 'string' },
    'public-cidrs': { type: 'string' },
    allow: { type: 'string' },
    seed: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.mode !== undefined && !ENDPOINT_MODES.includes(values.mode as EndpointMode)) {
    throw new UsageError(`whatif endpoint: --mode must be one of ${ENDPOINT_MODES.join(', ')} (got "${values.mode}")`);
  }
  const scenario = loadScenarioArg(values.scenario);
  let sim: ReturnType<typeof createSimulation>;
  try {
    sim = createSimulation(scenario, { seed: parseSeedArg(values.seed) });
  } catch (error) {
    throw new UsageError(`scenario ${scenario.name}: ${(error as Error).message}`);
  }
  let rows: Row[];
  try {
    rows = sim.domains.endpoint.whatIf({
      modes: values.mode ? [values.mode as EndpointMode] : undefined,
      publicAccessCidrs: splitList(values['public-cidrs']),
      allow: splitList(values.allow),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`whatif endpoint: ${error.message}`);
    throw error;
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(renderTable(sim, rows));
  return 0;
}

function renderTable(sim: ReturnType<typeof createSimulation>, rows: Row[]): string {
  const cluster = sim.domains.cluster.cluster;
  const current = sim.domains.endpoint.mode();
  const lines: string[] = [];
  lines.push(
    `What if: endpoint access of ${cluster?.name ?? '(no cluster)'} — scenario ${sim.scenario.name}, now ${current ?? 'no cluster'}`,
  );
  lines.push(`endpoint ${sim.domains.endpoint.world().endpointName ?? '-'}`);
  const header = ['MODE', 'CLIENT', 'REACHES API', 'VIA', 'REFUSED AT'];
  const table = rows.map((r) => [
    r.mode,
    r.client,
    r.reachable ? 'yes' : 'NO',
    r.via ? `${r.via} addresses` : '-',
    r.refusedAt ?? '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] as string).length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  lines.push('', fmt(header));
  let lastMode = '';
  rows.forEach((r, i) => {
    if (r.mode !== lastMode && lastMode !== '') lines.push('');
    lastMode = r.mode;
    lines.push(fmt(table[i] as string[]));
    if (!r.reachable) {
      const refusal = r.path[r.path.length - 1];
      lines.push(`    why: ${refusal?.detail ?? '?'}`);
      if (r.fix) lines.push(`    fix: ${r.fix}`);
    }
  });
  const assumed = [...new Set(rows.flatMap((r) => r.assumed.map((a) => `${r.mode}: ${a}`)))];
  if (assumed.length > 0) lines.push('', 'assumed (--allow):', ...assumed.map((a) => `  ${a}`));
  lines.push(
    '',
    'clients:',
    ...[...new Map(rows.map((r) => [r.client, r.clientDetail])).entries()].map(([c, d]) => `  ${c.padEnd(13)} ${d}`),
  );
  lines.push('', 'Paths hop by hop: --json. The modes explained: docs/endpoint-modes.md');
  return `${lines.join('\n')}\n`;
}
