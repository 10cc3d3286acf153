/**
 * An Auto Scaling group of control-plane instances (docs/control-plane.md: API servers and etcd run in
 * Auto Scaling groups; AWS EKS Best Practices "EKS Control Plane": unhealthy nodes are
 * replaced automatically). It keeps min ≤ desired ≤ max; the control-plane domain launches
 * and terminates the instances, in the healthy AZ with the fewest of them.
 *
 * InService (as many healthy instances as desired) ⇄ Pending (launching replacements or new
 * capacity, or terminating surplus).
 */
import { assign, setup } from 'xstate';

export interface AsgContext {
  readonly min: number;
  readonly max: number;
  desired: number;
}

export type AsgEvent =
  | { type: 'SET_DESIRED'; desired: number }
  | { type: 'INSTANCE_UNHEALTHY' }
  | { type: 'CAPACITY_CHANGING' }
  | { type: 'AT_DESIRED' };

export const asgMachine = setup({
  types: { context: {} as AsgContext, input: {} as AsgContext, events: {} as AsgEvent },
  guards: {
    withinBounds: ({ context }, params: { desired: number }) =>
      params.desired >= context.min && params.desired <= context.max,
  },
  actions: {
    setDesired: assign({ desired: (_, params: { desired: number }) => params.desired }),
  },
}).createMachine({
  id: 'autoScalingGroup',
  context: ({ input }) => ({ ...input }),
  initial: 'InService',
  on: {
    SET_DESIRED: {
      guard: { type: 'withinBounds', params: ({ event }) => ({ desired: event.desired }) },
      actions: { type: 'setDesired', params: ({ event }) => ({ desired: event.desired }) },
      target: '.Pending',
    },
  },
  states: {
    InService: {
      on: { INSTANCE_UNHEALTHY: 'Pending', CAPACITY_CHANGING: 'Pending' },
    },
    Pending: {
      on: { AT_DESIRED: 'InService' },
    },
  },
});
