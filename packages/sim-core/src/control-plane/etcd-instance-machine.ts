/**
 * The EC2 instance of a new etcd member, launched by the etcd Auto Scaling group to replace,
 * resize or rebalance a member, or to add one after a rebuild. launching (the instance boots
 * and the etcd process starts) → started: the member joins the cluster as a learner, a
 * non-voting member that catches up before it is promoted (etcd docs, "Learner design"); the
 * promotion is `etcd-operations.ts`'s. A launch called off before it starts is stopped.
 */
import { emit, setup } from 'xstate';

export interface EtcdInstanceInput {
  /** The member it will run, where, and at which size. */
  readonly memberId: string;
  readonly az: string;
  readonly size: string;
  /** EC2 launch plus the etcd process's start-up. */
  readonly startMs: number;
}

/** Emitted once the etcd process runs: the member joins as a learner. */
export type EtcdInstanceStarted = { readonly type: 'started' } & Omit<EtcdInstanceInput, 'startMs'>;

export const etcdInstanceMachine = setup({
  types: {
    context: {} as EtcdInstanceInput,
    input: {} as EtcdInstanceInput,
    emitted: {} as EtcdInstanceStarted,
  },
  actions: {
    announceStart: emit(({ context: { memberId, az, size } }) => ({ type: 'started' as const, memberId, az, size })),
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
