/**
 * What `eksctl create cluster` does once it has its plan (eksctl.io, "Creating and managing
 * clusters"; its log: "2 sequential tasks: { create cluster control plane, … create managed
 * nodegroup … }"): it deploys the cluster stack and waits for CloudFormation to report it
 * CREATE_COMPLETE; its next poll, a few seconds later, deploys every node-group stack at once;
 * it is done when each of those is CREATE_COMPLETE, and has failed as soon as a stack rolls back.
 *
 * eksctl that stops waiting (`--timeout`) leaves the cluster stack to CloudFormation, which
 * finishes it; nothing follows it (`unwatched` → `stopped`). The stacks are their own actors
 * (stack-machine.ts): the domain deploys them when this machine emits `deploy`, and tells it
 * what CloudFormation reports.
 */
import { assign, emit, setup, stateIn } from 'xstate';

export interface ClusterCreationInput {
  readonly clusterName: string;
  readonly clusterStack: string;
  /** The node-group stacks eksctl will deploy after the cluster stack, in the plan's order. */
  readonly nodegroupStacks: readonly string[];
}

export interface ClusterCreationContext extends ClusterCreationInput {
  readonly pollMs: number;
  /** Node-group stacks deployed and not yet CREATE_COMPLETE. */
  readonly pending: readonly string[];
  /** Node-group stacks deployed so far. */
  readonly deployed: readonly string[];
  readonly failure: string | null;
}

export type ClusterCreationEvent =
  | { type: 'CLUSTER_STACK_CREATED' }
  | { type: 'NODEGROUP_STACK_CREATED'; stackName: string }
  | { type: 'STACK_ROLLED_BACK'; failure: string }
  /** eksctl stopped waiting (`--timeout`). */
  | { type: 'ABANDON' };

export type ClusterCreationEmitted =
  | { type: 'deploy-cluster-stack' }
  | { type: 'deploy-nodegroup-stacks'; stackNames: readonly string[] };

/** How long after the cluster stack completes eksctl's poll sees it (seconds). */
export interface ClusterCreationDraws {
  pollSeconds(): number;
}

export function createClusterCreationMachine(draws: ClusterCreationDraws) {
  return setup({
    types: {
      context: {} as ClusterCreationContext,
      input: {} as ClusterCreationInput,
      events: {} as ClusterCreationEvent,
      emitted: {} as ClusterCreationEmitted,
    },
    guards: {
      noNodegroups: ({ context }) => context.nodegroupStacks.length === 0,
      allNodegroupStacksCreated: ({ context }) => context.pending.length === 0,
    },
    actions: {
      deployClusterStack: emit({ type: 'deploy-cluster-stack' as const }),
      deployNodegroupStacks: emit(({ context }) => ({
        type: 'deploy-nodegroup-stacks' as const,
        stackNames: context.nodegroupStacks,
      })),
      drawPoll: assign({ pollMs: () => draws.pollSeconds() * 1000 }),
      recordDeployed: assign(({ context }) => ({
        deployed: context.nodegroupStacks,
        pending: context.nodegroupStacks,
      })),
      recordCreated: assign(({ context, event }) => ({
        pending:
          event.type === 'NODEGROUP_STACK_CREATED'
            ? context.pending.filter((s) => s !== event.stackName)
            : context.pending,
      })),
      recordFailure: assign(({ event }) => ({ failure: event.type === 'STACK_ROLLED_BACK' ? event.failure : null })),
      recordStopped: assign({ failure: 'eksctl stopped waiting before the node-group stacks' }),
    },
    delays: {
      nextPoll: ({ context }) => context.pollMs,
    },
  }).createMachine({
    id: 'createCluster',
    context: ({ input }) => ({ ...input, pollMs: 0, pending: [], deployed: [], failure: null }),
    initial: 'clusterStack',
    states: {
      clusterStack: {
        entry: 'deployClusterStack',
        initial: 'watched',
        states: {
          watched: { on: { ABANDON: 'unwatched' } },
          unwatched: {},
        },
        on: {
          CLUSTER_STACK_CREATED: [
            { guard: stateIn('#createCluster.clusterStack.unwatched'), target: 'stopped' },
            { guard: 'noNodegroups', target: 'complete' },
            { target: 'nextPoll' },
          ],
          STACK_ROLLED_BACK: { target: 'failed', actions: 'recordFailure' },
        },
      },
      nextPoll: {
        entry: 'drawPoll',
        after: { nextPoll: 'nodegroupStacks' },
      },
      nodegroupStacks: {
        entry: ['recordDeployed', 'deployNodegroupStacks'],
        always: { guard: 'allNodegroupStacksCreated', target: 'complete' },
        on: {
          NODEGROUP_STACK_CREATED: { actions: 'recordCreated' },
          STACK_ROLLED_BACK: { target: 'failed', actions: 'recordFailure' },
        },
      },
      complete: { type: 'final' },
      failed: { type: 'final' },
      stopped: { type: 'final', entry: 'recordStopped' },
    },
  });
}

export type ClusterCreationMachine = ReturnType<typeof createClusterCreationMachine>;
