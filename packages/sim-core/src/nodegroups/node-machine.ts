/**
 * One worker node of a managed node group: an EC2 instance whose kubelet registers with the
 * API server (Amazon EKS User Guide, "Simplify node lifecycle with managed node groups",
 * "Managed node update behavior").
 *
 * launching → Ready once its kubelet registers; a kubelet that cannot reach the API server
 * never registers (NotReady; the group reports it as a health issue). Ready ⇄ NotReady as its
 * path to the API server closes and opens again (the kubelet cannot post its status). A rolling
 * upgrade drains it (`upgrading.draining`, its own drain time), then the group launches its
 * replacement on the new version (`upgrading.replacing`: how long the instance takes to boot is
 * known only when it launches) and it is Ready again. Deleting the group drains every node
 * (`draining`) until the group terminates it.
 */
import { assign, emit, setup } from 'xstate';

/** The node's state as kubectl and the snapshot name it. */
export type NodeState = 'launching' | 'Ready' | 'NotReady' | 'draining' | 'terminated';

export interface NodeInput {
  readonly name: string;
  readonly kubeletVersion: string;
  /** Running before the scenario started: Ready at once. */
  readonly running: boolean;
}

export interface NodeContext extends NodeInput {
  readonly targetVersion: string | null;
  readonly drainMs: number;
  readonly bootMs: number;
}

export type NodeEvent =
  | { type: 'REGISTERED' }
  | { type: 'NEVER_REGISTERED' }
  | { type: 'LOST_API_SERVER'; refusedAt: string | null }
  | { type: 'API_SERVER_REACHED' }
  | { type: 'UPGRADE'; toVersion: string; drainMs: number }
  | { type: 'REPLACEMENT_BOOT_TIME'; bootMs: number }
  | { type: 'DRAIN' }
  | { type: 'TERMINATE' };

/** A line of the event log. */
export interface NodeLine {
  readonly type: 'node.not-ready' | 'node.ready' | 'nodegroup.node-draining' | 'nodegroup.node-upgraded';
  readonly source: string;
  readonly message: string;
  readonly data?: Record<string, unknown>;
}

/** What the node says: a line of the log, or its owner's cue to time the replacement's boot. */
export type NodeEmitted = NodeLine | { readonly type: 'replacement-launched' };

const source = (c: NodeContext) => `node/${c.name}`;

export const nodeMachine = setup({
  types: {
    context: {} as NodeContext,
    input: {} as NodeInput,
    events: {} as NodeEvent,
    emitted: {} as NodeEmitted,
  },
  guards: {
    running: ({ context }) => context.running,
  },
  actions: {
    announceNotReady: emit(({ context: c, event }) => {
      const refusedAt = event.type === 'LOST_API_SERVER' ? event.refusedAt : null;
      return {
        type: 'node.not-ready' as const,
        source: source(c),
        message: `${c.name} is NotReady: it cannot reach the API server (refused at ${refusedAt})`,
        data: { refusedAt },
      };
    }),
    announceReadyAgain: emit(({ context: c }) => ({
      type: 'node.ready' as const,
      source: source(c),
      message: `${c.name} is Ready again: it reaches the API server`,
    })),
    planUpgrade: assign(({ context, event }) =>
      event.type === 'UPGRADE' ? { targetVersion: event.toVersion, drainMs: event.drainMs } : context,
    ),
    announceDraining: emit(({ context: c }) => ({
      type: 'nodegroup.node-draining' as const,
      source: source(c),
      message: `Draining ${c.name} (kubelet ${c.kubeletVersion})`,
    })),
    /** The managed node group replaces the instance with one launched on the new version. */
    launchReplacement: assign(({ context }) => ({ kubeletVersion: context.targetVersion ?? context.kubeletVersion })),
    askBootTime: emit({ type: 'replacement-launched' as const }),
    recordBootTime: assign({
      bootMs: ({ context, event }) => (event.type === 'REPLACEMENT_BOOT_TIME' ? event.bootMs : context.bootMs),
    }),
    announceUpgraded: emit(({ context: c }) => ({
      type: 'nodegroup.node-upgraded' as const,
      source: source(c),
      message: `${c.name} is Ready with kubelet ${c.kubeletVersion}`,
      data: { kubeletVersion: c.kubeletVersion },
    })),
  },
  delays: {
    drainTime: ({ context }) => context.drainMs,
    bootTime: ({ context }) => context.bootMs,
  },
}).createMachine({
  id: 'node',
  context: ({ input }) => ({ ...input, targetVersion: null, drainMs: 0, bootMs: 0 }),
  initial: 'launching',
  states: {
    launching: {
      always: { guard: 'running', target: 'Ready' },
      on: { REGISTERED: 'Ready', NEVER_REGISTERED: 'NotReady', DRAIN: 'draining' },
    },
    Ready: {
      on: {
        LOST_API_SERVER: { target: 'NotReady', actions: 'announceNotReady' },
        NEVER_REGISTERED: 'NotReady',
        UPGRADE: { target: 'upgrading', actions: 'planUpgrade' },
        DRAIN: 'draining',
      },
    },
    NotReady: {
      on: {
        API_SERVER_REACHED: { target: 'Ready', actions: 'announceReadyAgain' },
        UPGRADE: { target: 'upgrading', actions: 'planUpgrade' },
        DRAIN: 'draining',
      },
    },
    upgrading: {
      initial: 'draining',
      on: { DRAIN: 'draining' },
      states: {
        draining: {
          entry: 'announceDraining',
          after: { drainTime: 'replacing' },
        },
        replacing: {
          entry: ['launchReplacement', 'askBootTime'],
          on: { REPLACEMENT_BOOT_TIME: { target: 'booting', actions: 'recordBootTime' } },
        },
        booting: {
          after: { bootTime: { target: '#node.Ready', actions: 'announceUpgraded' } },
        },
      },
    },
    draining: {
      on: { TERMINATE: 'terminated' },
    },
    terminated: { type: 'final' },
  },
});

/** The node's state for its record: kubectl's words, the upgrade's steps folded in. */
export function nodeStateOf(value: unknown): NodeState {
  if (typeof value === 'string') return value as NodeState;
  return (value as { upgrading: string }).upgrading === 'draining' ? 'draining' : 'launching';
}
