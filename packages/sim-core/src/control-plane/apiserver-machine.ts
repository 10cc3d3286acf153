/**
 * One API server instance of the managed control plane (docs/control-plane.md; AWS EKS Best Practices (Control plane);
 * AWS EKS Best Practices "EKS Control Plane": API server nodes in an Auto Scaling group,
 * unhealthy nodes replaced automatically).
 *
 * launching (EC2 boots) → initializing (kube-apiserver starts, /readyz not yet ok) → healthy.
 * healthy ⇄ degraded: overloaded (its APF seats are full and it answers 429, or its CPU is
 * near 100 %); it still serves. Any live state → failed (instance or AZ lost) or
 * terminating (drained by a scale-in or a replacement) → terminated.
 */
import { setup } from 'xstate';

export type ApiServerState =
  | 'launching'
  | 'initializing'
  | 'healthy'
  | 'degraded'
  | 'terminating'
  | 'failed'
  | 'terminated';

export type ApiServerEvent =
  | { type: 'OVERLOADED' }
  | { type: 'LOAD_NORMAL' }
  | { type: 'INSTANCE_FAILED' }
  | { type: 'TERMINATE' }
  | { type: 'READY_NOW' };

export interface ApiServerInput {
  readonly launchMs: number;
  readonly initMs: number;
  readonly drainMs: number;
}

export const apiServerMachine = setup({
  types: {
    context: {} as ApiServerInput,
    input: {} as ApiServerInput,
    events: {} as ApiServerEvent,
  },
  delays: {
    launchTime: ({ context }) => context.launchMs,
    startUpTime: ({ context }) => context.initMs,
    deregistrationDelay: ({ context }) => context.drainMs,
  },
}).createMachine({
  id: 'apiServer',
  context: ({ input }) => input,
  initial: 'launching',
  states: {
    launching: {
      after: { launchTime: 'initializing' },
      on: { INSTANCE_FAILED: 'failed', TERMINATE: 'terminated', READY_NOW: 'healthy' },
    },
    initializing: {
      after: { startUpTime: 'healthy' },
      on: { INSTANCE_FAILED: 'failed', TERMINATE: 'terminated', READY_NOW: 'healthy' },
    },
    healthy: {
      on: { OVERLOADED: 'degraded', INSTANCE_FAILED: 'failed', TERMINATE: 'terminating' },
    },
    degraded: {
      on: { LOAD_NORMAL: 'healthy', INSTANCE_FAILED: 'failed', TERMINATE: 'terminating' },
    },
    terminating: {
      after: { deregistrationDelay: 'terminated' },
      on: { INSTANCE_FAILED: 'terminated' },
    },
    failed: {
      on: { TERMINATE: 'terminated' },
    },
    terminated: { type: 'final' },
  },
});
