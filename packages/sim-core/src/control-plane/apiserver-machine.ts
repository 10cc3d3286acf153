/**
 * One API server instance of the managed control plane. EKS runs at least two API server
 * instances in an Auto Scaling group across the Region's AZs and replaces an unhealthy one
 * automatically (AWS EKS Best Practices, "EKS Control Plane"; Amazon EKS User Guide, "Amazon
 * EKS architecture").
 *
 * launching (EC2 boots) → initializing (kube-apiserver starts, /readyz not yet ok) → healthy.
 * healthy ⇄ degraded: overloaded (its API Priority and Fairness seats are full and it answers
 * 429, or its CPU is near 100 %); it still serves. Any live state → failed (instance or AZ
 * lost) or terminating (drained by a scale-in or a replacement: the NLB's deregistration
 * delay) → terminated. A failed instance is marked unhealthy once it has failed its health
 * checks for the Auto Scaling group's grace period: then the group terminates and replaces it
 * (Amazon EC2 Auto Scaling User Guide, "Health checks for instances in an Auto Scaling group").
 * Every state it enters is announced in the event log.
 */
import { assign, cancel, emit, raise, setup } from 'xstate';
import type { LogLine } from './log-line';

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
  | { type: 'READY_NOW' }
  /** Raised by the machine itself when the deregistration delay is over. */
  | { type: 'DEREGISTERED' };

export interface ApiServerInput {
  readonly id: string;
  readonly az: string;
  readonly size: string;
  readonly launchMs: number;
  readonly initMs: number;
  readonly drainMs: number;
  readonly healthCheckGraceMs: number;
}

export interface ApiServerContext extends ApiServerInput {
  /** Failed for the whole health-check grace: the Auto Scaling group replaces it. */
  readonly unhealthy: boolean;
}

/** The event log's line for each state the instance enters. */
const WORDS: Record<Exclude<ApiServerState, 'launching'>, string> = {
  initializing: 'is initializing (kube-apiserver starting)',
  healthy: 'is healthy and registered with its NLB node',
  degraded: 'is overloaded: APF queues are full, answering 429',
  terminating: 'is draining before termination',
  failed: 'failed',
  terminated: 'was terminated',
};

const line = (a: ApiServerContext, state: ApiServerState, message: string): LogLine => ({
  type: `apiserver.${state}`,
  source: a.id,
  message,
  data: { az: a.az, size: a.size },
});

export const apiServerMachine = setup({
  types: {
    context: {} as ApiServerContext,
    input: {} as ApiServerInput,
    events: {} as ApiServerEvent,
    emitted: {} as LogLine,
  },
  actions: {
    announceLaunch: emit(({ context: a }) =>
      line(a, 'launching', `API server ${a.id} (${a.size}) is launching in ${a.az}`),
    ),
    announce: emit(({ context: a }, params: { state: Exclude<ApiServerState, 'launching'>; again?: boolean }) =>
      line(a, params.state, `API server ${a.id} in ${a.az} ${params.again ? 'is healthy again' : WORDS[params.state]}`),
    ),
    markUnhealthy: assign({ unhealthy: true }),
    startDeregistration: raise({ type: 'DEREGISTERED' }, { id: 'deregistration', delay: 'deregistrationDelay' }),
  },
  delays: {
    launchTime: ({ context }) => context.launchMs,
    startUpTime: ({ context }) => context.initMs,
    deregistrationDelay: ({ context }) => context.drainMs,
    healthCheckGrace: ({ context }) => context.healthCheckGraceMs,
  },
}).createMachine({
  id: 'apiServer',
  context: ({ input }) => ({ ...input, unhealthy: false }),
  initial: 'launching',
  states: {
    launching: {
      entry: 'announceLaunch',
      after: { launchTime: 'initializing' },
      on: { INSTANCE_FAILED: 'failed', TERMINATE: 'terminated', READY_NOW: 'healthy' },
    },
    initializing: {
      entry: { type: 'announce', params: { state: 'initializing' } },
      after: { startUpTime: 'healthy' },
      on: { INSTANCE_FAILED: 'failed', TERMINATE: 'terminated', READY_NOW: 'healthy' },
    },
    healthy: {
      entry: {
        type: 'announce',
        params: ({ event }) => ({ state: 'healthy', again: event.type === 'LOAD_NORMAL' }),
      },
      on: { OVERLOADED: 'degraded', INSTANCE_FAILED: 'failed', TERMINATE: 'terminating' },
    },
    degraded: {
      entry: { type: 'announce', params: { state: 'degraded' } },
      on: { LOAD_NORMAL: 'healthy', INSTANCE_FAILED: 'failed', TERMINATE: 'terminating' },
    },
    terminating: {
      // Not `after`: xstate starts an `after` timer behind the entry actions, and the timer must
      // start before the announcement (which moves the NLB node's own 30 s countdown), so that
      // at the same millisecond the drain ends first.
      entry: ['startDeregistration', { type: 'announce', params: { state: 'terminating' } }],
      exit: cancel('deregistration'),
      on: { DEREGISTERED: 'terminated', INSTANCE_FAILED: 'terminated' },
    },
    failed: {
      entry: { type: 'announce', params: { state: 'failed' } },
      after: { healthCheckGrace: { actions: 'markUnhealthy' } },
      on: { TERMINATE: 'terminated' },
    },
    terminated: {
      type: 'final',
      entry: { type: 'announce', params: { state: 'terminated' } },
    },
  },
});
