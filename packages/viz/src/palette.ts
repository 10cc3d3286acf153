/**
 * Okabe-Ito colours (safe for the common colour-vision deficiencies), each also told apart by
 * a second cue (hatching for failed parts, dashes for refused paths, a crown for the leader)
 * so nothing depends on colour alone on a washed-out projector.
 */
export const colours = {
  ok: '#009E73',
  starting: '#56B4E9',
  degraded: '#E69F00',
  failed: '#8c8c8c',
  refused: '#D55E00',
  reachable: '#0072B2',
  leader: '#CC79A7',
  ink: '#1b1b1b',
  muted: '#5f5f5f',
  managedVpc: '#eef4fa',
  customerVpc: '#f1f8f1',
  publicSubnet: '#e3f1fb',
  privateSubnet: '#ececf6',
  unknown: '#b7b7b7',
} as const;

export type Health = 'ok' | 'starting' | 'degraded' | 'failed' | 'unknown';

const failedWords =
  /^(failed|down|terminated|terminating|stopped|deleting|deleted|unhealthy|out|lost|partitioned|notready)$/i;
const degradedWords = /^(degraded|overloaded|impaired|candidate|throttled|draining|updating)$/i;
const startingWords =
  /^(launching|initializing|initialising|rejoining|catching-up|creating|pending|starting|joining)$/i;
const okWords = /^(healthy|ready|leader|follower|up|running|active|in-service|inservice|ok|in-dns)$/i;

/** Which colour family a state word belongs to; the word itself stays in `data-state`. */
export function health(state: string): Health {
  if (failedWords.test(state)) return 'failed';
  if (degradedWords.test(state)) return 'degraded';
  if (startingWords.test(state)) return 'starting';
  if (okWords.test(state)) return 'ok';
  return 'unknown';
}

export function healthColour(state: string): string {
  return colours[health(state)];
}

export interface LegendEntry {
  readonly label: string;
  readonly colour: string;
  readonly style: 'fill' | 'hatch' | 'line' | 'dashed' | 'dotted' | 'crown';
}

export const legendEntries: readonly LegendEntry[] = [
  { label: 'healthy', colour: colours.ok, style: 'fill' },
  { label: 'starting', colour: colours.starting, style: 'fill' },
  { label: 'overloaded', colour: colours.degraded, style: 'fill' },
  { label: 'failed / down', colour: colours.failed, style: 'hatch' },
  { label: 'etcd leader', colour: colours.leader, style: 'crown' },
  { label: 'gets through', colour: colours.reachable, style: 'line' },
  { label: 'refused at ✕', colour: colours.refused, style: 'dashed' },
  { label: 'to kubelet', colour: colours.leader, style: 'dotted' },
];
