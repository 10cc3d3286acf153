/**
 * One NLB node, in one control-plane AZ. The public endpoint is served through a Network Load
 * Balancer (Amazon EKS User Guide, "Cluster API server endpoint"); this simulator gives it one
 * node per AZ. Cross-zone load balancing is off (the NLB default), so the node sends only to
 * API servers in its own AZ, and when none of them passes its health checks the node's
 * address is taken out of DNS (Elastic Load Balancing User Guide, "Health checks for Network
 * Load Balancer target groups" and "Cross-zone load balancing"). That is why `dig` in the lab
 * answers with two addresses: two API servers in two of the three AZs.
 *
 * A new node starts out of DNS; a control plane that already runs at t0 puts it in DNS at once
 * (`READY_NOW`: its checks passed long ago).
 *
 * in-dns → failing-checks (no healthy target; 3 checks × 10 s) → out-of-dns →
 * passing-checks (a target is healthy again; 2 checks) → in-dns. A fault takes the node
 * itself down; recovery brings it back out of DNS until its checks pass. Entering or leaving
 * DNS, and failing, are announced in the event log; every change emits `changed` (the load
 * it carries moves).
 */
import { emit, setup } from 'xstate';
import { TIMING } from './facts';
import type { LogLine } from './log-line';

export type NlbNodeState = 'in-dns' | 'failing-checks' | 'out-of-dns' | 'passing-checks' | 'failed';

export type NlbNodeEvent =
  | { type: 'TARGET_HEALTHY' }
  | { type: 'NO_HEALTHY_TARGET' }
  | { type: 'NODE_FAILED' }
  | { type: 'NODE_RECOVERED' }
  /** The control plane already ran at t0: the node's checks passed long ago. */
  | { type: 'READY_NOW' };

export type NlbNodeEmitted = LogLine<'nlb.in-dns' | 'nlb.out-of-dns' | 'nlb.failed'> | { type: 'changed' };

export interface NlbNodeInput {
  readonly id: string;
  readonly az: string;
  readonly ips: readonly string[];
}

export const nlbNodeMachine = setup({
  types: {
    events: {} as NlbNodeEvent,
    input: {} as NlbNodeInput,
    context: {} as NlbNodeInput,
    emitted: {} as NlbNodeEmitted,
  },
  actions: {
    enterDns: emit(({ context: n }) => ({
      type: 'nlb.in-dns',
      source: n.id,
      message: `NLB node ${n.id} (${n.ips.join(', ')}) passes health checks and is in DNS`,
      data: { az: n.az, ips: [...n.ips] },
    })),
    leaveDns: emit(({ context: n }) => ({
      type: 'nlb.out-of-dns',
      source: n.id,
      message: `NLB node ${n.id} has no healthy API server in ${n.az} and is out of DNS`,
      data: { az: n.az, ips: [...n.ips] },
    })),
    announceFailure: emit(({ context: n }) => ({
      type: 'nlb.failed',
      source: n.id,
      message: `NLB node ${n.id} failed and left DNS`,
      data: { az: n.az },
    })),
    changed: emit({ type: 'changed' }),
  },
  delays: {
    unhealthyThreshold: TIMING.nlbUnhealthyMs,
    healthyThreshold: TIMING.nlbHealthyMs,
  },
}).createMachine({
  id: 'nlbNode',
  context: ({ input }) => input,
  initial: 'out-of-dns',
  states: {
    'in-dns': {
      entry: 'changed',
      on: { NO_HEALTHY_TARGET: 'failing-checks', NODE_FAILED: 'failed' },
    },
    'failing-checks': {
      entry: 'changed',
      after: { unhealthyThreshold: { target: 'out-of-dns', actions: 'leaveDns' } },
      on: { TARGET_HEALTHY: 'in-dns', NODE_FAILED: 'failed' },
    },
    'out-of-dns': {
      entry: 'changed',
      on: {
        TARGET_HEALTHY: 'passing-checks',
        NODE_FAILED: 'failed',
        READY_NOW: { target: 'in-dns', actions: 'enterDns' },
      },
    },
    'passing-checks': {
      entry: 'changed',
      after: { healthyThreshold: { target: 'in-dns', actions: 'enterDns' } },
      on: {
        NO_HEALTHY_TARGET: 'out-of-dns',
        NODE_FAILED: 'failed',
        READY_NOW: { target: 'in-dns', actions: 'enterDns' },
      },
    },
    failed: {
      entry: ['announceFailure', 'changed'],
      on: { NODE_RECOVERED: 'out-of-dns' },
    },
  },
});

/** Whether a node in this state answers in DNS (it stays in while its checks are still failing). */
export const nlbInDns = (state: NlbNodeState): boolean => state === 'in-dns' || state === 'failing-checks';
