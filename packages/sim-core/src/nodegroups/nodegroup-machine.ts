/**
 * A managed node group, as DescribeNodegroup's `status` reports it (Amazon EKS API Reference,
 * `Nodegroup`; Amazon EKS User Guide, "Managed node update behavior", "Delete a managed node
 * group").
 *
 * CREATING while its instances launch (a few minutes, or at once for a group that stood before
 * the scenario started); then each kubelet registers or not: ACTIVE when every node joined,
 * CREATE_FAILED with a NodeCreationFailure health issue when some could not reach the API
 * server. ACTIVE ⇄ UPDATING: a rolling upgrade takes `maxUnavailable` nodes at a time, waits
 * for each batch's replacements to be Ready, then takes the next; when none is left the group
 * runs the new version. Any state → DELETING (nodes drained) → DELETED after the deletion's
 * duration.
 *
 * Which nodes registered is the owner's question (it asks the endpoint's reachability); the
 * machine emits `instances-launched` and hears `JOINED` or `JOIN_FAILED`. Each batch of the
 * upgrade is emitted (`batch-due`) for the owner to hand to the nodes (node-machine.ts).
 */
import { assign, emit, enqueueActions, setup } from 'xstate';

export type NodegroupMachineStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING' | 'CREATE_FAILED';

export interface HealthIssue {
  readonly code: string;
  readonly message: string;
  readonly resourceIds: string[];
}

export interface NodegroupInput {
  readonly name: string;
  readonly version: string;
  readonly instanceType: string;
  readonly subnetKind: 'public' | 'private';
  readonly nodeCount: number;
  /** How long the instances take to launch. */
  readonly createMs: number;
  /** The group stood before the scenario started: its nodes are running already. */
  readonly running: boolean;
}

/** A rolling upgrade in progress: the nodes still on the old version, and the batch out now. */
export interface RollingUpgrade {
  readonly toVersion: string;
  readonly maxUnavailable: number;
  readonly waiting: readonly string[];
  readonly batch: readonly string[];
  readonly replaced: number;
}

export interface NodegroupContext extends NodegroupInput {
  readonly deleteMs: number;
  readonly upgrade: RollingUpgrade | null;
  readonly health: { issues: HealthIssue[] } | undefined;
}

export type NodegroupEvent =
  | { type: 'JOINED'; nodes: readonly string[] }
  | {
      type: 'JOIN_FAILED';
      stranded: readonly string[];
      instanceIds: readonly string[];
      why: string;
      refusedAt: string | null;
    }
  | { type: 'UPGRADE'; toVersion: string; maxUnavailable: number; nodes: readonly string[] }
  | { type: 'NODE_UPGRADED' }
  | { type: 'DELETE_REQUESTED'; deleteMs: number };

/** A line of the event log. */
export interface NodegroupLine {
  readonly type:
    | 'nodegroup.creating'
    | 'nodegroup.active'
    | 'nodegroup.create-failed'
    | 'nodegroup.update-started'
    | 'nodegroup.update-successful'
    | 'nodegroup.deleting'
    | 'nodegroup.deleted';
  readonly source: string;
  readonly message: string;
  readonly data?: Record<string, unknown>;
}

/** What the group says: a line of the log, or a cue for its owner. */
export type NodegroupEmitted =
  | NodegroupLine
  | { readonly type: 'instances-launched' }
  | { readonly type: 'batch-due'; readonly nodes: readonly string[]; readonly toVersion: string };

const line = (c: NodegroupContext, type: NodegroupLine['type'], message: string, data?: Record<string, unknown>) => ({
  type,
  source: `nodegroup/${c.name}`,
  message,
  ...(data ? { data } : {}),
});

const DELETE = { DELETE_REQUESTED: { target: '#nodegroup.DELETING', actions: 'recordDeleteTime' } } as const;

export const nodegroupMachine = setup({
  types: {
    context: {} as NodegroupContext,
    input: {} as NodegroupInput,
    events: {} as NodegroupEvent,
    emitted: {} as NodegroupEmitted,
  },
  guards: {
    running: ({ context }) => context.running,
    noNodeLeft: ({ context }) => (context.upgrade?.waiting.length ?? 0) === 0,
    lastOfBatch: ({ context }) => (context.upgrade?.batch.length ?? 0) <= 1,
  },
  actions: {
    announceCreating: enqueueActions(({ context: c, enqueue }) => {
      if (c.running) return;
      enqueue.emit(
        line(
          c,
          'nodegroup.creating',
          `Node group ${c.name} is CREATING: ${c.nodeCount} × ${c.instanceType} in ${c.subnetKind} subnets`,
        ),
      );
    }),
    announceLaunched: emit({ type: 'instances-launched' as const }),
    announceActive: emit(({ context: c, event }) => {
      const nodes = event.type === 'JOINED' ? [...event.nodes] : [];
      return line(c, 'nodegroup.active', `Node group ${c.name} is ACTIVE with ${nodes.length} nodes`, { nodes });
    }),
    recordHealthIssue: assign({
      health: ({ context, event }) =>
        event.type === 'JOIN_FAILED'
          ? {
              issues: [
                {
                  code: 'NodeCreationFailure',
                  message: 'Instances failed to join the kubernetes cluster',
                  resourceIds: [...event.instanceIds],
                },
              ],
            }
          : context.health,
    }),
    announceCreateFailed: emit(({ context: c, event }) => {
      if (event.type !== 'JOIN_FAILED') throw new Error('announceCreateFailed needs JOIN_FAILED');
      return line(
        c,
        'nodegroup.create-failed',
        `Node group ${c.name} CREATE_FAILED: ${event.stranded.length} instance(s) failed to join the cluster (${event.why})`,
        { nodes: [...event.stranded], refusedAt: event.refusedAt },
      );
    }),
    planUpgrade: assign({
      upgrade: ({ context, event }) =>
        event.type === 'UPGRADE'
          ? {
              toVersion: event.toVersion,
              maxUnavailable: event.maxUnavailable,
              waiting: event.nodes,
              batch: [],
              replaced: 0,
            }
          : context.upgrade,
    }),
    announceUpdateStarted: emit(({ context: c }) => {
      const u = c.upgrade as RollingUpgrade;
      return line(
        c,
        'nodegroup.update-started',
        `Node group ${c.name} is UPDATING ${c.version} → ${u.toVersion}: ${u.waiting.length} node(s), at most ${u.maxUnavailable} unavailable at a time`,
        { fromVersion: c.version, toVersion: u.toVersion, maxUnavailable: u.maxUnavailable, nodes: u.waiting.length },
      );
    }),
    takeBatch: assign({
      upgrade: ({ context }) => {
        const u = context.upgrade as RollingUpgrade;
        return { ...u, batch: u.waiting.slice(0, u.maxUnavailable), waiting: u.waiting.slice(u.maxUnavailable) };
      },
    }),
    announceBatch: emit(({ context }) => {
      const u = context.upgrade as RollingUpgrade;
      return { type: 'batch-due' as const, nodes: u.batch, toVersion: u.toVersion };
    }),
    countReplaced: assign({
      upgrade: ({ context }) => {
        const u = context.upgrade as RollingUpgrade;
        return { ...u, batch: u.batch.slice(1), replaced: u.replaced + 1 };
      },
    }),
    finishUpgrade: assign(({ context }) => ({
      version: context.upgrade?.toVersion ?? context.version,
      upgrade: null,
    })),
    announceUpdated: emit(({ context: c }) =>
      line(c, 'nodegroup.update-successful', `Node group ${c.name} is ACTIVE on ${c.version}`, { version: c.version }),
    ),
    recordDeleteTime: assign({
      deleteMs: ({ context, event }) => (event.type === 'DELETE_REQUESTED' ? event.deleteMs : context.deleteMs),
    }),
    announceDeleting: emit(({ context: c }) => line(c, 'nodegroup.deleting', `Node group ${c.name} is DELETING`)),
    announceDeleted: emit(({ context: c }) => line(c, 'nodegroup.deleted', `Node group ${c.name} was deleted`)),
  },
  delays: {
    launchTime: ({ context }) => context.createMs,
    deleteTime: ({ context }) => context.deleteMs,
  },
}).createMachine({
  id: 'nodegroup',
  context: ({ input }) => ({ ...input, deleteMs: 0, upgrade: null, health: undefined }),
  initial: 'CREATING',
  states: {
    CREATING: {
      initial: 'launching',
      entry: 'announceCreating',
      on: DELETE,
      states: {
        launching: {
          always: { guard: 'running', target: 'registering' },
          after: { launchTime: 'registering' },
        },
        registering: {
          entry: 'announceLaunched',
          on: {
            JOINED: { target: '#nodegroup.ACTIVE', actions: 'announceActive' },
            JOIN_FAILED: { target: '#nodegroup.CREATE_FAILED', actions: ['recordHealthIssue', 'announceCreateFailed'] },
          },
        },
      },
    },
    ACTIVE: {
      on: { UPGRADE: { target: 'UPDATING', actions: 'planUpgrade' }, ...DELETE },
    },
    UPDATING: {
      entry: 'announceUpdateStarted',
      initial: 'nextBatch',
      on: DELETE,
      states: {
        nextBatch: {
          always: [
            { guard: 'noNodeLeft', target: '#nodegroup.ACTIVE', actions: ['finishUpgrade', 'announceUpdated'] },
            { target: 'replacing' },
          ],
        },
        replacing: {
          entry: ['takeBatch', 'announceBatch'],
          on: {
            NODE_UPGRADED: [
              { guard: 'lastOfBatch', target: 'nextBatch', actions: 'countReplaced' },
              { actions: 'countReplaced' },
            ],
          },
        },
      },
    },
    CREATE_FAILED: { on: DELETE },
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

/** DescribeNodegroup's status for the machine's state (the group is dropped once DELETED). */
export function nodegroupStatusOf(value: unknown): NodegroupMachineStatus {
  const top = typeof value === 'string' ? value : Object.keys(value as object)[0];
  return (top === 'DELETED' ? 'DELETING' : top) as NodegroupMachineStatus;
}
