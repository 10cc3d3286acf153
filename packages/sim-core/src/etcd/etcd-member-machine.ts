/**
 * One etcd member (docs/control-plane.md; AWS EKS Best Practices (Control plane); etcd docs "Clustering guide" and the Raft paper).
 *
 * - A follower that hears no leader for a randomized election timeout becomes a candidate
 *   and asks for votes for a new term; with a majority of the voters it becomes the leader.
 * - A leader that loses contact with a majority steps down (etcd's check-quorum).
 * - A member that crashes is down; when it comes back it is rejoining: it replays what it
 *   missed from the leader before it votes or counts towards a commit again.
 * - A new member joins as a learner (etcd 3.4+): it catches up without a vote, then is
 *   promoted. That is how replacements keep quorum.
 *
 * Terms, votes and log indexes live in the etcd cluster model (`etcd-cluster.ts`); this
 * machine is the member's role and its allowed moves.
 */
import { setup } from 'xstate';

export type EtcdRole = 'follower' | 'candidate' | 'leader' | 'down' | 'rejoining' | 'removed';

export type EtcdMemberEvent =
  | { type: 'ELECTION_TIMEOUT' }
  | { type: 'WON_ELECTION' }
  | { type: 'HEARD_FROM_LEADER' }
  | { type: 'LOST_QUORUM' }
  | { type: 'CRASHED' }
  | { type: 'RESTARTED' }
  | { type: 'CAUGHT_UP' }
  | { type: 'REMOVED' };

export const etcdMemberMachine = setup({
  types: { events: {} as EtcdMemberEvent },
}).createMachine({
  id: 'etcdMember',
  initial: 'rejoining',
  states: {
    follower: {
      on: {
        ELECTION_TIMEOUT: 'candidate',
        CRASHED: 'down',
        REMOVED: 'removed',
      },
    },
    candidate: {
      on: {
        WON_ELECTION: 'leader',
        HEARD_FROM_LEADER: 'follower',
        LOST_QUORUM: 'follower',
        CRASHED: 'down',
        REMOVED: 'removed',
      },
    },
    leader: {
      on: {
        LOST_QUORUM: 'follower',
        HEARD_FROM_LEADER: 'follower',
        CRASHED: 'down',
        REMOVED: 'removed',
      },
    },
    down: {
      on: { RESTARTED: 'rejoining', REMOVED: 'removed' },
    },
    rejoining: {
      on: { CAUGHT_UP: 'follower', CRASHED: 'down', REMOVED: 'removed' },
    },
    removed: { type: 'final' },
  },
});
