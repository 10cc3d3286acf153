/**
 * One worker node of a managed node group: an EC2 instance whose kubelet registers with the
 * API server (Amazon EKS User Guide, "Simplify node lifecycle with managed node groups",
 * "Managed node update behavior").
 *
 * launching → Ready once its kubelet registers; a kubelet that cannot reach the API server
 * never registers (NotReady; the group reports it as a health issue). Ready ⇄ NotReady as its
 * path to the API server closes and opens again (the kubelet cannot post its status). A rolling
 * When its AZ goes down or is cut off from the control plane's other AZs, its kubelet can no
 * longer post its status: the node stays Ready (`silent`) until the node controller's grace
 * period passes, then it is NotReady (`unreachable`) until the AZ is back. A rolling
 * upgrade drains it (`upgrading.draining`, its own drain time), then the group launches its
 * replacement on the new version (`upgrading.replacing`: how long the instance takes to boot is
 * known only when it launches) and it is Ready again. Deleting the group drains every node
 * (`draining`) until the group terminates it.
 */
import { assign, emit, setup } from 'xstate';

/**
 * How long the node controller waits for a silent kubelet before it marks the node NotReady
 * (kube-controller-manager `--node-monitor-grace-period`, 40 s; Kubernetes docs, "Node status").
 */
export const NODE_MONITOR_GRACE_MS = 40_000;

/** Why a node's AZ no longer reaches the API server: it is down, or cut off from the other AZs. */
export type ZoneOutage = 'down' | 'partitioned';

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
  /** Its AZ's outage while the kubelet is silent, for the log line. */
  readonly zoneOutage: { readonly az: string; readonly why: ZoneOutage } | null;
}

export type NodeEvent =
  | { type: 'REGISTERED' }
  | { type: 'NEVER_REGISTERED' }
  | { type: 'LOST_API_SERVER'; refusedAt: string | null }
  | { type: 'API_SERVER_REACHED' }
  | { type: 'AZ_LOST'; az: string; why: ZoneOutage }
  | { type: 'AZ_RECOVERED' }
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
    recordZoneOutage: assign({
      zoneOutage: ({ context, event }) =>
        event.type === 'AZ_LOST' ? { az: event.az, why: event.why } : context.zoneOutage,
    }),
    forgetZoneOutage: assign({ zoneOutage: null }),
    announceStoppedPosting: emit(({ context: c }) => {
      const outage = c.zoneOutage;
      const where = outage ? `${outage.az} is ${outage.why === 'down' ? 'down' : 'cut off from the other AZs'}` : '';
      return {
        type: 'node.not-ready' as const,
        source: source(c),
        message: `${c.name} is NotReady: its kubelet stopped posting node status (${where}) for ${NODE_MONITOR_GRACE_MS / 1000} s`,
        data: { az: outage?.az ?? null, why: outage?.why ?? null },
      };
    }),
    announcePostingAgain: emit(({ context: c }) => ({
      type: 'node.ready' as const,
      source: source(c),
      message: `${c.name} is Ready again: its kubelet posts node status (${c.zoneOutage?.az ?? 'its AZ'} is back)`,
    })),
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
    nodeMonitorGrace: NODE_MONITOR_GRACE_MS,
  },
}).createMachine({
  id: 'node',
  context: ({ input }) => ({ ...input, targetVersion: null, drainMs: 0, bootMs: 0, zoneOutage: null }),
  initial: 'launching',
  states: {
    launching: {
      always: { guard: 'running', target: 'Ready' },
      on: { REGISTERED: 'Ready', NEVER_REGISTERED: 'NotReady', DRAIN: 'draining' },
    },
    Ready: {
      on: {
        LOST_API_SERVER: { target: 'NotReady', actions: 'announceNotReady' },
        AZ_LOST: { target: 'silent', actions: 'recordZoneOutage' },
        NEVER_REGISTERED: 'NotReady',
        UPGRADE: { target: 'upgrading', actions: 'planUpgrade' },
        DRAIN: 'draining',
      },
    },
    /** Its AZ is out: the kubelet posts nothing, and the node controller waits out its grace period. */
    silent: {
      after: { nodeMonitorGrace: { target: 'unreachable', actions: 'announceStoppedPosting' } },
      on: {
        AZ_RECOVERED: { target: 'Ready', actions: 'forgetZoneOutage' },
        UPGRADE: { target: 'upgrading', actions: ['forgetZoneOutage', 'planUpgrade'] },
        DRAIN: 'draining',
      },
    },
    /** NotReady because its AZ is out (the node controller's Ready=Unknown). */
    unreachable: {
      on: {
        AZ_RECOVERED: { target: 'Ready', actions: ['announcePostingAgain', 'forgetZoneOutage'] },
        UPGRADE: { target: 'upgrading', actions: ['forgetZoneOutage', 'planUpgrade'] },
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
  if (value === 'silent') return 'Ready';
  if (value === 'unreachable') return 'NotReady';
  if (typeof value === 'string') return value as NodeState;
  return (value as { upgrading: string }).upgrading === 'draining' ? 'draining' : 'launching';
}
