/**
 * What `eksctl delete cluster` does once it has reached the API server (eksctl.io, "Creating
 * and managing clusters"; its log: "2 sequential tasks: { delete nodegroup …, delete cluster
 * control plane … [async] }"): it deletes every node-group stack of the cluster at once, and
 * the cluster stack only when all of them are DELETE_COMPLETE; the cluster stack's ControlPlane
 * goes when EKS has deleted the cluster. Deleting the stacks from the CloudFormation console
 * (`provisioning.delete-cluster`) follows the same order.
 */
import { assign, emit, setup } from 'xstate';

export interface ClusterDeletionInput {
  readonly clusterName: string;
  readonly nodegroupStacks: readonly string[];
}

export interface ClusterDeletionContext extends ClusterDeletionInput {
  /** Node-group stacks not yet DELETE_COMPLETE. */
  readonly pending: readonly string[];
}

export type ClusterDeletionEvent =
  | { type: 'NODEGROUP_STACK_DELETED'; stackName: string }
  /** EKS deleted the cluster (and with it went the cluster stack). */
  | { type: 'CLUSTER_DELETED' };

export type ClusterDeletionEmitted =
  | { type: 'delete-nodegroup-stacks'; stackNames: readonly string[] }
  | { type: 'delete-cluster-stack' };

export const clusterDeletionMachine = setup({
  types: {
    context: {} as ClusterDeletionContext,
    input: {} as ClusterDeletionInput,
    events: {} as ClusterDeletionEvent,
    emitted: {} as ClusterDeletionEmitted,
  },
  guards: {
    allNodegroupStacksDeleted: ({ context }) => context.pending.length === 0,
  },
  actions: {
    deleteNodegroupStacks: emit(({ context }) => ({
      type: 'delete-nodegroup-stacks' as const,
      stackNames: context.nodegroupStacks,
    })),
    deleteClusterStack: emit({ type: 'delete-cluster-stack' as const }),
    recordDeleted: assign(({ context, event }) => ({
      pending:
        event.type === 'NODEGROUP_STACK_DELETED'
          ? context.pending.filter((s) => s !== event.stackName)
          : context.pending,
    })),
  },
}).createMachine({
  id: 'deleteCluster',
  context: ({ input }) => ({ ...input, pending: input.nodegroupStacks }),
  initial: 'nodegroupStacks',
  states: {
    nodegroupStacks: {
      entry: 'deleteNodegroupStacks',
      always: { guard: 'allNodegroupStacksDeleted', target: 'clusterStack' },
      on: { NODEGROUP_STACK_DELETED: { actions: 'recordDeleted' } },
    },
    clusterStack: {
      entry: 'deleteClusterStack',
      on: { CLUSTER_DELETED: 'deleted' },
    },
    deleted: { type: 'final' },
  },
});

export type ClusterDeletionMachine = typeof clusterDeletionMachine;
