/**
 * The EC2 instance of a new etcd member, launched by the etcd Auto Scaling group to replace,
 * resize or rebalance a member, or to add one after a rebuild. launching (the instance boots
 * and the etcd process starts) → started: the member joins the cluster as a learner, a
 * non-voting member that catches up before it is promoted (etcd docs, "Learner design"); the
 * promotion is `etcd-operations.ts`'s. A launch called off before it starts is stopped.
 */
import { emit, setup } from 'xstate';

export interface EtcdInstanceInput {
  /** EC2 launch plus the etcd process's start-up. */
  readonly startMs: number;
}

export const etcdInstanceMachine = setup({
  types: {
    context: {} as EtcdInstanceInput,
    input: {} as EtcdInstanceInput,
    emitted: {} as { type: 'started' },
  },
  actions: {
    announceStart: emit({ type: 'started' }),
  },
  delays: {
    startTime: ({ context }) => context.startMs,
  },
}).createMachine({
  id: 'etcdInstance',
  context: ({ input }) => input,
  initial: 'launching',
  states: {
    launching: {
      after: { startTime: { target: 'started', actions: 'announceStart' } },
    },
    started: { type: 'final' },
  },
});
