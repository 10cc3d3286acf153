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

import type { DrawnState } from './view';

export type Health = 'ok' | 'starting' | 'degraded' | 'failed' | 'unknown';

/**
 * The colour family of every state the model reports. The table is total over the machines'
 * state types, so a new state in a machine fails the build until it is placed here.
 */
const HEALTH: Readonly<Record<DrawnState, Health>> = {
  // API servers (apiserver-machine) and nodes
  launching: 'starting',
  initializing: 'starting',
  healthy: 'ok',
  degraded: 'degraded',
  terminating: 'failed',
  failed: 'failed',
  terminated: 'failed',
  Ready: 'ok',
  NotReady: 'failed',
  draining: 'degraded',
  running: 'ok',
  // etcd members (etcd-member-machine)
  follower: 'ok',
  leader: 'ok',
  candidate: 'degraded',
  rejoining: 'starting',
  down: 'failed',
  removed: 'failed',
  // NLB nodes (nlb-node-machine)
  'passing-checks': 'starting',
  'in-dns': 'ok',
  'failing-checks': 'degraded',
  'out-of-dns': 'failed',
  // AZs (az-machine)
  up: 'ok',
  impaired: 'degraded',
};

/** Which colour family a state belongs to; the word itself stays in `data-state`. */
export function health(state: DrawnState): Health {
  return HEALTH[state];
}

export function healthColour(state: DrawnState): string {
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
