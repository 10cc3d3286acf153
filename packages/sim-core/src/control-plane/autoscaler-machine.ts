/**
 * The control-plane autoscaler, one per group of instances (docs/control-plane.md: the control plane
 * scales up and down with CPU and memory, at no cost to the customer; AWS EKS Best Practices (Control plane): scaling
 * signals are CPU and memory, and since 2024 node count and etcd size).
 *
 * watching: the domain measures CPU and memory against the rules (`AUTOSCALER_RULES`) over
 * evaluation windows and, when a rule has held long enough, proposes a decision. A decision
 * is taken only while watching; the group then acts (scale out or in, or resize one instance
 * at a time) while the autoscaler rests in cooldown for the decision's cooldown, counted from
 * the decision. That is why it cannot flap: nothing is decided inside a cooldown.
 */
import { assign, setup } from 'xstate';

export type ScalingDecision = 'scale-out' | 'scale-in' | 'resize-up' | 'resize-down';

export interface AutoscalerContext {
  cooldownMs: number;
  lastDecision: ScalingDecision | null;
}

export type AutoscalerEvent = { type: 'DECIDE'; decision: ScalingDecision; cooldownMs: number };

export const autoscalerMachine = setup({
  types: { context: {} as AutoscalerContext, events: {} as AutoscalerEvent },
  actions: {
    recordDecision: assign({
      cooldownMs: (_, params: { decision: ScalingDecision; cooldownMs: number }) => params.cooldownMs,
      lastDecision: (_, params: { decision: ScalingDecision; cooldownMs: number }) => params.decision,
    }),
  },
  delays: {
    cooldown: ({ context }) => context.cooldownMs,
  },
}).createMachine({
  id: 'controlPlaneAutoscaler',
  context: { cooldownMs: 0, lastDecision: null },
  initial: 'watching',
  states: {
    watching: {
      on: {
        DECIDE: {
          target: 'cooldown',
          actions: {
            type: 'recordDecision',
            params: ({ event }) => ({ decision: event.decision, cooldownMs: event.cooldownMs }),
          },
        },
      },
    },
    cooldown: {
      after: { cooldown: 'watching' },
    },
  },
});
