/**
 * One NLB node, in one control-plane AZ (docs/control-plane.md: "an NLB, one per AZ" is the seed's
 * model; AWS only says the public endpoint uses an NLB). Cross-zone load balancing is off
 * (the NLB default), so the node sends only to API servers in its own AZ; when none of them
 * passes health checks the node's address is taken out of DNS (ELB knowledge center,
 * "elb-dns-cross-zone-balance-configuration"; AWS EKS Best Practices (Control plane)). That is why `dig` in the lab
 * answers with two addresses: two API servers in two of the three AZs (docs/lessons/seed-week1.md).
 *
 * in-dns → failing-checks (no healthy target; 3 checks × 10 s) → out-of-dns →
 * passing-checks (a target is healthy again; 2 checks) → in-dns. A fault takes the node
 * itself down; recovery brings it back out of DNS until its checks pass.
 */
import { setup } from 'xstate';
import { TIMING } from './facts';

export type NlbNodeState = 'provisioned' | 'in-dns' | 'failing-checks' | 'out-of-dns' | 'passing-checks' | 'failed';

export type NlbNodeEvent =
  | { type: 'TARGET_HEALTHY' }
  | { type: 'NO_HEALTHY_TARGET' }
  | { type: 'NODE_FAILED' }
  | { type: 'NODE_RECOVERED' };

export interface NlbNodeInput {
  /** A control plane that already runs at t0 has nodes whose checks passed long ago. */
  readonly startInDns: boolean;
}

export const nlbNodeMachine = setup({
  types: { events: {} as NlbNodeEvent, input: {} as NlbNodeInput, context: {} as NlbNodeInput },
  guards: {
    startsInDns: ({ context }) => context.startInDns,
  },
  delays: {
    unhealthyThreshold: TIMING.nlbUnhealthyMs,
    healthyThreshold: TIMING.nlbHealthyMs,
  },
}).createMachine({
  id: 'nlbNode',
  context: ({ input }) => input,
  initial: 'provisioned',
  states: {
    provisioned: {
      always: [{ guard: 'startsInDns', target: 'in-dns' }, { target: 'out-of-dns' }],
    },
    'in-dns': {
      on: { NO_HEALTHY_TARGET: 'failing-checks', NODE_FAILED: 'failed' },
    },
    'failing-checks': {
      after: { unhealthyThreshold: 'out-of-dns' },
      on: { TARGET_HEALTHY: 'in-dns', NODE_FAILED: 'failed' },
    },
    'out-of-dns': {
      on: { TARGET_HEALTHY: 'passing-checks', NODE_FAILED: 'failed' },
    },
    'passing-checks': {
      after: { healthyThreshold: 'in-dns' },
      on: { NO_HEALTHY_TARGET: 'out-of-dns', NODE_FAILED: 'failed' },
    },
    failed: {
      on: { NODE_RECOVERED: 'out-of-dns' },
    },
  },
});

/** Whether a node in this state answers in DNS (it stays in while its checks are still failing). */
export const nlbInDns = (state: NlbNodeState): boolean => state === 'in-dns' || state === 'failing-checks';
