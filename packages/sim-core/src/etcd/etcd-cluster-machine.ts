/**
 * The etcd cluster's phases and timing: when it elects, when a cut-off leader steps down, when
 * a returning member or a learner has caught up, when a new cluster's members start, and when
 * a quorum lost with its AZs is rebuilt. Raft's rules themselves — terms, who votes for whom,
 * whose log is up to date, what commits — are pure functions (`elections.ts`, `raft-log.ts`)
 * that the cluster (`etcd-cluster.ts`) runs when this machine says it is time; the machine
 * says WHEN and in WHICH phase, they say WHAT (Raft paper, Ongaro & Ousterhout 2014, §5;
 * etcd docs "Failure modes", "Learner" and "Disaster recovery").
 *
 * Four regions, side by side:
 * - `bootstrap`: a new control plane's three members start together once their instances
 *   have launched (`launching`, `after`), or at once for a cluster that already runs at t0.
 * - `checkQuorum`: a leader that cannot reach a majority of the voters steps down after an
 *   election timeout (etcd's check-quorum): `leaderCutOff`, `after` → `step-down-due`.
 * - `election`: `hasLeader` ⇄ `leaderless` (a connected majority without a leader:
 *   `electing` waits a randomized election timeout of 1-2 s, drawn on entry from the cluster's
 *   own random stream and kept in context, then `voting` while the election runs) ; and
 *   `noQuorum` while no majority of the voters can talk to each other (pre-vote: a minority
 *   never elects and never bumps terms).
 * - `recovery`: `intact` → `quorumLost` (the voters lost with their AZs leave too few for a
 *   majority) → `recovering` once that has lasted 10 minutes and a survivor is left to rebuild
 *   from (etcd's `--force-new-cluster`) → `intact` when the cluster is rebuilt.
 *
 * Members that catch up (a restarted member, a learner joining) are child actors
 * (`catch-up:<member>`), each waiting its catch-up time, then for somebody to catch up from;
 * the cluster stops one when its member is caught up.
 *
 * The cluster tells the machine what it sees after every change (`CHANGED`, facts as of
 * then); the machine's guards read those facts. What the machine emits is what is due now;
 * the cluster carries it out and writes the event log.
 */
import { type AnyActorRef, assign, emit, enqueueActions, sendParent, setup, stopChild } from 'xstate';
import { ETCD_TIMING, QUORUM_LOSS_RECOVERY_MS } from './facts';

/** What the cluster sees after a change of members, roles or connectivity. */
export interface QuorumFacts {
  readonly nowMs: number;
  /** A majority of the voters is up and can talk to each other. */
  readonly majority: boolean;
  /** That majority has a leader. */
  readonly majorityLed: boolean;
  /** The leader of the highest term reaches fewer voters than a majority. */
  readonly leaderCutOff: boolean;
}

/** Voters whose instances were lost with their AZs, as the control plane counts them on a tick. */
export interface LostVoters {
  readonly nowMs: number;
  readonly voters: number;
  readonly lostIds: readonly string[];
  /** When the last of them was lost. */
  readonly lostSinceMs: number;
}

export type EtcdClusterEvent =
  | { type: 'BOOTSTRAP'; startMs: number }
  | { type: 'READY_NOW' }
  | { type: 'BOOTSTRAP_CANCELLED' }
  | ({ type: 'CHANGED' } & QuorumFacts)
  | { type: 'CATCH_UP'; memberId: string; ms: number }
  | { type: 'CATCH_UP_CANCELLED'; memberId: string }
  | { type: 'CATCH_UP_DUE'; memberId: string }
  | ({ type: 'QUORUM_CHECK' } & LostVoters)
  | { type: 'REBUILT' };

/** What is due now; the cluster carries it out. */
export type EtcdClusterDue =
  | { type: 'members-start-due' }
  | { type: 'election-due' }
  | { type: 'step-down-due' }
  | { type: 'catch-up-due'; memberId: string }
  | { type: 'rebuild-due'; lostIds: readonly string[] };

export interface EtcdClusterContext {
  /** How long the new cluster's instances take to launch before its members start. */
  readonly startMs: number;
  /** The current election's randomized timeout (drawn on entering `electing`). */
  readonly electionTimeoutMs: number;
  /** Since when a connected majority has had no leader (null: it has one, or there is no majority). */
  readonly leaderlessSinceMs: number | null;
  /** The voters lost with their AZs while the quorum is lost. */
  readonly lostIds: readonly string[];
}

interface CatchUpInput {
  readonly memberId: string;
  readonly ms: number;
}

/**
 * One member catching up: `5 s + entries replayed / 20 000 per s`, then it reports to the
 * cluster and waits there. If nobody can bring it up to date yet (no leader it reaches), the
 * cluster looks again after every change of leadership, membership or connectivity and
 * finishes it as soon as somebody can (a leader replicates to a follower at its first
 * heartbeat, so there is no polling interval to model); then it stops this child.
 */
export const catchUpMachine = setup({
  types: { context: {} as CatchUpInput, input: {} as CatchUpInput },
  actions: {
    reportDue: sendParent(({ context }) => ({ type: 'CATCH_UP_DUE' as const, memberId: context.memberId })),
  },
  delays: { catchUpTime: ({ context }) => context.ms },
}).createMachine({
  id: 'etcdCatchUp',
  context: ({ input }) => input,
  initial: 'catchingUp',
  states: {
    catchingUp: { after: { catchUpTime: { target: 'waitingForLeader', actions: 'reportDue' } } },
    waitingForLeader: {},
  },
});

/**
 * Whose random stream draws a cluster actor's election timeouts: `EtcdCluster` sets it when it
 * starts or revives the actor. (A `provide` per simulation would rebuild the machine, ~1 ms.)
 */
const electionTimeoutDraws = new WeakMap<AnyActorRef, () => number>();

export function drawElectionTimeoutsWith(actor: AnyActorRef, draw: () => number): void {
  electionTimeoutDraws.set(actor, draw);
}

export const catchUpId = (memberId: string): string => `catch-up:${memberId}`;

const majorityOf = (voters: number): number => Math.floor(voters / 2) + 1;
const quorumLost = (e: LostVoters): boolean =>
  e.lostIds.length > 0 && e.voters - e.lostIds.length < majorityOf(e.voters);

export const etcdClusterMachine = setup({
  types: {
    context: {} as EtcdClusterContext,
    events: {} as EtcdClusterEvent,
    emitted: {} as EtcdClusterDue,
  },
  actors: { catchUp: catchUpMachine },
  guards: {
    noMajority: ({ event }) => event.type === 'CHANGED' && !event.majority,
    majorityLed: ({ event }) => event.type === 'CHANGED' && event.majority && event.majorityLed,
    majorityWithoutLeader: ({ event }) => event.type === 'CHANGED' && event.majority && !event.majorityLed,
    leaderCutOff: ({ event }) => event.type === 'CHANGED' && event.leaderCutOff,
    leaderReachesMajority: ({ event }) => event.type === 'CHANGED' && !event.leaderCutOff,
    quorumLost: ({ event }) => event.type === 'QUORUM_CHECK' && quorumLost(event),
    /**
     * Lost for 10 minutes, and a survivor is left to rebuild from (with none, the cluster waits
     * for an AZ to bring its members back). A partitioned member is alive and never counts as
     * lost: rebuilding around it would split the brain.
     */
    lostLongEnough: ({ event }) =>
      event.type === 'QUORUM_CHECK' &&
      quorumLost(event) &&
      event.lostIds.length < event.voters &&
      event.nowMs - event.lostSinceMs >= QUORUM_LOSS_RECOVERY_MS,
  },
  actions: {
    /** From the cluster's own random stream, in the order the elections need it. */
    drawElectionTimeout: assign({
      electionTimeoutMs: ({ self }) => {
        const draw = electionTimeoutDraws.get(self);
        if (!draw) throw new Error('etcd cluster actor without drawElectionTimeoutsWith (see EtcdCluster)');
        return draw();
      },
    }),
    markLeaderless: assign({
      leaderlessSinceMs: ({ context, event }) =>
        context.leaderlessSinceMs ?? (event.type === 'CHANGED' ? event.nowMs : null),
    }),
    clearLeaderless: assign({ leaderlessSinceMs: null }),
    rememberStart: assign({ startMs: ({ event }) => (event.type === 'BOOTSTRAP' ? event.startMs : 0) }),
    rememberLost: assign({ lostIds: ({ event }) => (event.type === 'QUORUM_CHECK' ? [...event.lostIds] : []) }),
    forgetLost: assign({ lostIds: [] }),
    startCatchUp: enqueueActions(({ enqueue, event }) => {
      if (event.type !== 'CATCH_UP') return;
      enqueue.spawnChild('catchUp', {
        id: catchUpId(event.memberId),
        input: { memberId: event.memberId, ms: event.ms },
      });
    }),
    stopCatchUp: stopChild(({ event }) => catchUpId((event as { memberId: string }).memberId)),
    membersStartDue: emit({ type: 'members-start-due' as const }),
    electionDue: emit({ type: 'election-due' as const }),
    stepDownDue: emit({ type: 'step-down-due' as const }),
    catchUpDue: emit(({ event }) => ({
      type: 'catch-up-due' as const,
      memberId: (event as { memberId: string }).memberId,
    })),
    rebuildDue: emit(({ context }) => ({ type: 'rebuild-due' as const, lostIds: context.lostIds })),
  },
  delays: {
    launchTime: ({ context }) => context.startMs,
    electionTimeout: ({ context }) => context.electionTimeoutMs,
    /** A leader cut off from a majority steps down after an election timeout (check-quorum). */
    stepDownDelay: ETCD_TIMING.electionTimeoutMs.min,
  },
}).createMachine({
  id: 'etcdCluster',
  context: { startMs: 0, electionTimeoutMs: 0, leaderlessSinceMs: null, lostIds: [] },
  type: 'parallel',
  on: {
    CATCH_UP: { actions: ['stopCatchUp', 'startCatchUp'] },
    CATCH_UP_CANCELLED: { actions: 'stopCatchUp' },
    CATCH_UP_DUE: { actions: 'catchUpDue' },
  },
  states: {
    bootstrap: {
      initial: 'awaitingCluster',
      states: {
        awaitingCluster: {
          on: { BOOTSTRAP: { target: 'launching', actions: 'rememberStart' }, READY_NOW: 'running' },
        },
        launching: {
          after: { launchTime: { target: 'running', actions: 'membersStartDue' } },
          on: { READY_NOW: 'running', BOOTSTRAP_CANCELLED: 'awaitingCluster' },
        },
        running: {},
      },
    },
    // Before `election`: within one change, a cut-off leader's countdown starts before the
    // majority's election timeout, as the cluster has always ordered them.
    checkQuorum: {
      initial: 'quiet',
      states: {
        quiet: { on: { CHANGED: { guard: 'leaderCutOff', target: 'leaderCutOff' } } },
        leaderCutOff: {
          after: { stepDownDelay: { target: 'quiet', actions: 'stepDownDue' } },
          on: { CHANGED: { guard: 'leaderReachesMajority', target: 'quiet' } },
        },
      },
    },
    election: {
      initial: 'noQuorum',
      states: {
        noQuorum: {
          on: {
            CHANGED: [
              { guard: 'majorityWithoutLeader', target: 'leaderless' },
              { guard: 'majorityLed', target: 'hasLeader' },
            ],
          },
        },
        hasLeader: {
          on: {
            CHANGED: [
              { guard: 'majorityWithoutLeader', target: 'leaderless' },
              { guard: 'noMajority', target: 'noQuorum' },
            ],
          },
        },
        leaderless: {
          entry: 'markLeaderless',
          exit: 'clearLeaderless',
          on: {
            CHANGED: [
              { guard: 'majorityLed', target: 'hasLeader' },
              { guard: 'noMajority', target: 'noQuorum' },
            ],
          },
          initial: 'electing',
          states: {
            electing: {
              entry: 'drawElectionTimeout',
              after: { electionTimeout: { target: 'voting', actions: 'electionDue' } },
            },
            // The election runs; the change it makes tells the machine whether to wait again.
            voting: {
              on: { CHANGED: { guard: 'majorityWithoutLeader', target: 'electing' } },
            },
          },
        },
      },
    },
    recovery: {
      initial: 'intact',
      states: {
        intact: {
          on: {
            QUORUM_CHECK: [
              { guard: 'lostLongEnough', target: 'recovering', actions: 'rememberLost' },
              { guard: 'quorumLost', target: 'quorumLost', actions: 'rememberLost' },
            ],
          },
        },
        quorumLost: {
          on: {
            QUORUM_CHECK: [
              { guard: 'lostLongEnough', target: 'recovering', actions: 'rememberLost' },
              { guard: 'quorumLost', actions: 'rememberLost' },
              { target: 'intact', actions: 'forgetLost' },
            ],
          },
        },
        recovering: {
          entry: 'rebuildDue',
          on: { REBUILT: { target: 'intact', actions: 'forgetLost' } },
        },
      },
    },
  },
});
