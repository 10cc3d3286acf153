/**
 * The EKS cluster through its life, as DescribeCluster's `status` reports it (Amazon EKS API
 * Reference, `Cluster`; Amazon EKS User Guide, "Create an Amazon EKS cluster", "Update existing
 * cluster to new Kubernetes version", "Delete a cluster").
 *
 * CREATING while EKS builds the control plane (8-11 simulated minutes), then ACTIVE. A cluster
 * that already stood when the scenario starts is ACTIVE at once. ACTIVE ⇄ UPDATING: one update
 * at a time (endpoint access, version, upgrade policy), each taking its own duration; when it
 * completes the cluster announces it with the change it carries, and its owner applies the
 * change to the record. CREATING, ACTIVE or FAILED → DELETING (a few minutes) → DELETED. An
 * UPDATING cluster cannot be deleted (EKS refuses; the domain says so in EKS's words).
 *
 * Every duration is drawn by the owner from the cluster's random stream when it is decided and
 * kept in context, so a persisted snapshot carries it. Each state change the event log records
 * is emitted as its line.
 */
import { assign, emit, setup } from 'xstate';
import type { ClusterChange, UpdateParam, UpdateType } from './types';

export type ClusterMachineState = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'FAILED' | 'DELETED';

/** An update in flight: what it is, how long it takes, and what it changes when it completes. */
export interface PendingUpdate {
  readonly id: string;
  readonly type: UpdateType;
  readonly params: readonly UpdateParam[];
  readonly durationMs: number;
  readonly change: ClusterChange;
}

export interface ClusterInput {
  readonly name: string;
  readonly version: string;
  /** How long EKS takes to build the control plane. */
  readonly createMs: number;
  /** The cluster stood before the scenario started: ACTIVE at once. */
  readonly builtBeforeScenario: boolean;
}

export interface ClusterContext extends ClusterInput {
  readonly deleteMs: number;
  readonly update: PendingUpdate | null;
}

export type ClusterEvent =
  | { type: 'UPDATE_STARTED'; update: PendingUpdate }
  | { type: 'DELETE_REQUESTED'; deleteMs: number }
  | { type: 'CREATE_FAILED' };

/** A line of the event log; an update's completion also carries the change to apply. */
export interface ClusterLine {
  readonly type:
    | 'cluster.creating'
    | 'cluster.active'
    | 'cluster.update-started'
    | 'cluster.update-successful'
    | 'cluster.deleting'
    | 'cluster.deleted';
  readonly source: string;
  readonly message: string;
  readonly data?: Record<string, unknown>;
  readonly completed?: PendingUpdate;
}

const line = (c: ClusterContext, type: ClusterLine['type'], message: string, data?: Record<string, unknown>) => ({
  type,
  source: `cluster/${c.name}`,
  message,
  ...(data ? { data } : {}),
});

export const clusterMachine = setup({
  types: {
    context: {} as ClusterContext,
    input: {} as ClusterInput,
    events: {} as ClusterEvent,
    emitted: {} as ClusterLine,
  },
  guards: {
    builtBeforeScenario: ({ context }) => context.builtBeforeScenario,
  },
  actions: {
    announceCreating: emit(({ context: c }) =>
      line(c, 'cluster.creating', `Cluster ${c.name} (${c.version}) is CREATING`, { version: c.version }),
    ),
    announceActive: emit(({ context: c }) => line(c, 'cluster.active', `Cluster ${c.name} is ACTIVE`)),
    recordUpdate: assign({ update: ({ event }) => (event.type === 'UPDATE_STARTED' ? event.update : null) }),
    announceUpdateStarted: emit(({ context: c }) => {
      const u = c.update as PendingUpdate;
      return line(c, 'cluster.update-started', `${u.type} ${u.id} started`, {
        updateId: u.id,
        updateType: u.type,
        params: u.params.map((p) => ({ ...p })),
      });
    }),
    announceUpdateSuccessful: emit(({ context: c }) => {
      const u = c.update as PendingUpdate;
      return {
        ...line(c, 'cluster.update-successful', `${u.type} ${u.id} Successful`, { updateId: u.id, updateType: u.type }),
        completed: u,
      };
    }),
    forgetUpdate: assign({ update: null }),
    recordDeleteTime: assign({
      deleteMs: ({ context, event }) => (event.type === 'DELETE_REQUESTED' ? event.deleteMs : context.deleteMs),
    }),
    announceDeleting: emit(({ context: c }) => line(c, 'cluster.deleting', `Cluster ${c.name} is DELETING`)),
    announceDeleted: emit(({ context: c }) => line(c, 'cluster.deleted', `Cluster ${c.name} was deleted`)),
  },
  delays: {
    createTime: ({ context }) => context.createMs,
    updateTime: ({ context }) => context.update?.durationMs ?? 0,
    deleteTime: ({ context }) => context.deleteMs,
  },
}).createMachine({
  id: 'cluster',
  context: ({ input }) => ({ ...input, deleteMs: 0, update: null }),
  initial: 'CREATING',
  states: {
    CREATING: {
      entry: 'announceCreating',
      always: { guard: 'builtBeforeScenario', target: 'ACTIVE', actions: 'announceActive' },
      after: { createTime: { target: 'ACTIVE', actions: 'announceActive' } },
      on: {
        CREATE_FAILED: 'FAILED',
        DELETE_REQUESTED: { target: 'DELETING', actions: 'recordDeleteTime' },
      },
    },
    ACTIVE: {
      on: {
        UPDATE_STARTED: { target: 'UPDATING', actions: 'recordUpdate' },
        DELETE_REQUESTED: { target: 'DELETING', actions: 'recordDeleteTime' },
      },
    },
    UPDATING: {
      entry: 'announceUpdateStarted',
      after: { updateTime: { target: 'ACTIVE', actions: ['announceUpdateSuccessful', 'forgetUpdate'] } },
    },
    FAILED: {
      on: { DELETE_REQUESTED: { target: 'DELETING', actions: 'recordDeleteTime' } },
    },
    DELETING: {
      entry: 'announceDeleting',
      after: { deleteTime: 'DELETED' },
    },
    DELETED: {
      type: 'final',
      entry: 'announceDeleted',
    },
  },
});
