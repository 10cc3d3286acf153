/** The etcd cluster's records and views (`etcd-cluster.ts`), shared by its parts and the snapshot. */
import type { Actor } from 'xstate';
import type { EtcdRole, etcdMemberMachine } from './etcd-member-machine';
import type { SavedKvWrites } from './kv-writes';
import type { LogRun, RaftLog } from './raft-log';

export interface EtcdMember {
  readonly id: string;
  readonly az: string;
  size: string;
  role: EtcdRole;
  /** Highest term this member has seen (persisted). */
  term: number;
  /** Whom it voted for in `term` (persisted; null: no vote yet in this term). */
  votedFor: string | null;
  /** Its log (persisted). */
  log: RaftLog;
  /** Index of the last entry of its log. */
  matchIndex: number;
  /** Highest index it knows to be committed (what it has applied). */
  appliedIndex: number;
  /** Voters elect and count towards commits; a learner only replicates. */
  voter: boolean;
  /** When the member entered its current role. */
  roleSinceMs: number;
  cpu: number;
  memory: number;
  readonly actor: Actor<typeof etcdMemberMachine>;
}

/** A member as saved: its role is its machine's state. */
export type SavedEtcdMember = Omit<EtcdMember, 'actor'>;

/** The cluster's records as plain JSON (`ClusterState.saveRecords`); its machines are saved as actors. */
export interface SavedEtcdRecords {
  readonly members: readonly SavedEtcdMember[];
  readonly committedIndex: number;
  readonly highestCommitted: number;
  readonly committedLog: readonly LogRun[];
  readonly highestTerm: number;
  readonly leaders: readonly LeaderRecord[];
  readonly commits: readonly CommitRecord[];
  readonly kv: SavedKvWrites;
  readonly leaderChanges: number;
  readonly epoch: number;
}

export interface EtcdMemberView {
  readonly id: string;
  readonly az: string;
  readonly state: EtcdRole;
  readonly role: EtcdRole;
  readonly term: number;
  readonly votedFor: string | null;
  readonly size: string;
  readonly voter: boolean;
  readonly matchIndex: number;
  readonly appliedIndex: number;
  readonly log: readonly LogRun[];
  readonly cpu: number;
  readonly memory: number;
}

/** One leader of one term: the record the "one leader per term" invariant reads. */
export interface LeaderRecord {
  readonly term: number;
  readonly leader: string;
  readonly atMs: number;
}

/** A run of committed writes under one leader and one membership: what the quorum invariants read. */
export interface CommitRecord {
  readonly atMs: number;
  readonly term: number;
  readonly leader: string;
  readonly fromIndex: number;
  toIndex: number;
  /** Voters that held the batch when it committed (leader included). */
  readonly ackedBy: readonly string[];
  readonly voters: number;
  /** Membership/connectivity epoch the record was made in (a change starts a new record). */
  readonly epoch: number;
}

export interface EtcdClusterView {
  readonly members: readonly EtcdMemberView[];
  readonly leader: string | null;
  readonly term: number;
  readonly committedIndex: number;
  /** Highest index ever committed (never above what a surviving majority holds). */
  readonly highestCommittedIndex: number;
  /** The committed entries (index and term), as the leaders committed them. */
  readonly committedLog: readonly LogRun[];
  readonly voters: number;
  readonly quorum: number;
  /** Whether a majority of the voters is up and can talk to each other. */
  readonly connectedMajority: boolean;
  /** Since when a connected majority has had no leader (null: it has one, or there is no majority). */
  readonly leaderlessSinceMs: number | null;
  readonly electionBoundMs: number;
  readonly leaderChanges: number;
  readonly leaders: readonly LeaderRecord[];
  readonly commits: readonly CommitRecord[];
}

/** What became of a keyed write sent to the leader (`propose`). */
export type ProposeOutcome =
  /** Committed: the client is told it succeeded. */
  | 'ok'
  /** Never entered a log (no leader reachable): the client is told it failed. */
  | 'fail'
  /** In the leader's log but not committed (the leader lost its majority): the client times out. */
  | 'unknown';
