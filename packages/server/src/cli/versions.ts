import {
  calendarRow,
  DEFAULT_SCENARIO,
  EKS_CALENDAR,
  isoDate,
  parseDate,
  type Snapshot,
  scenarios,
  supportPhase,
} from '@eks-sim/sim-core';
import { parseFlags } from './args';
import { UsageError } from './usage-error';

const HELP = `usage: eks-sim versions [--at YYYY-MM-DD] [--version 1.N] [--json]

The Amazon EKS Kubernetes release calendar and each version's support phase on a date
(default: the start date of the default scenario, ${DEFAULT_SCENARIO}).

  --at DATE        the date to judge phases on (UTC), e.g. 2025-06-01
  --version 1.N    show one version only
  --json           an array of rows: version, upstreamRelease, eksRelease, endOfStandard,
                   endOfExtended, phase, source
`;

interface Row {
  readonly version: string;
  readonly upstreamRelease: string;
  readonly eksRelease: string;
  readonly endOfStandard: string;
  readonly endOfExtended: string;
  readonly phase: string;
  readonly source: string;
}

/** `eks-sim versions`: the calendar from sim-core, judged on one date. No model logic here. */
export async function versionsCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags('versions', argv, {
    at: { type: 'string' },
    version: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const atText = values.at ?? (scenarios[DEFAULT_SCENARIO]?.start ?? '').slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(atText) || parseDate(atText) === undefined) {
    throw new UsageError(`versions: --at must be a date YYYY-MM-DD, such as 2025-06-01 (got "${atText}")`);
  }
  const atMs = parseDate(atText) as number;
  if (values.version !== undefined && !calendarRow(values.version)) {
    throw new UsageError(
      `versions: unknown Kubernetes version "${values.version}" (the EKS calendar has ${EKS_CALENDAR.map((r) => r.version).join(', ')})`,
    );
  }
  const rows: Row[] = EKS_CALENDAR.filter((r) => values.version === undefined || r.version === values.version).map(
    (r) => ({
      version: r.version,
      upstreamRelease: r.upstreamRelease,
      eksRelease: r.eksRelease,
      endOfStandard: r.endOfStandard,
      endOfExtended: r.endOfExtended,
      phase: supportPhase(r.version, atMs),
      source: r.source,
    }),
  );
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const header = [
    'VERSION',
    'UPSTREAM',
    'EKS RELEASE',
    'END OF STANDARD',
    'END OF EXTENDED',
    `PHASE ON ${isoDate(atMs)}`,
  ];
  const table = [
    header,
    ...rows.map((r) => [r.version, r.upstreamRelease, r.eksRelease, r.endOfStandard, r.endOfExtended, r.phase]),
  ];
  const widths = header.map((_, i) => Math.max(...table.map((line) => (line[i] as string).length)));
  const lines = table.map((line) =>
    line
      .map((cell, i) => cell.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd(),
  );
  process.stdout.write(
    `${lines.join('\n')}\n\nBoundaries are 00:00 UTC on the dates shown (AWS EKS User Guide, release calendar). --json adds each row's source.\n`,
  );
  return 0;
}

/** One line for `eks-sim run`: the cluster's version and phase, what comes next, its upgrades, its nodes' skew, the fee by phase. */
export function versionsSummaryLine(snapshot: Snapshot): string {
  const v = snapshot.versions;
  if (!v.cluster) return 'versions: no cluster';
  const next = v.cluster.nextBoundary;
  const nextText = next
    ? next.action === 'automatic-upgrade'
      ? `automatic upgrade to ${next.upgradeTo ?? '(none)'} on ${next.date}`
      : `extended support from ${next.date}`
    : 'no boundary ahead';
  const upgrades = v.history.map((h) => `${h.fromVersion}→${h.toVersion} ${h.trigger} ${h.startedAt.slice(0, 10)}`);
  const kubelets = [...new Set(v.nodes.map((n) => n.kubeletVersion))].join(', ') || 'none';
  const atLimit = v.nodes.filter((n) => n.status === 'at-limit').length;
  const phase = snapshot.cost.byPhase;
  return [
    `versions: ${v.cluster.name} on ${v.cluster.version} (${v.cluster.phase} support, ${v.cluster.supportType}; next: ${nextText})`,
    `upgrades: ${upgrades.join(', ') || 'none'}`,
    `nodes: ${v.nodes.length} on kubelet ${kubelets} (${atLimit} at the skew limit, ${v.flaggedNodes} beyond it)`,
    `control-plane fee: standard $${phase.standard.toFixed(2)}, extended $${phase.extended.toFixed(2)}${phase.unsupported ? `, past end of support $${phase.unsupported.toFixed(2)}` : ''}`,
  ].join('; ');
}
