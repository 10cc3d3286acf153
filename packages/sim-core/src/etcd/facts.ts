/** Timing facts of etcd's Raft, shared by the etcd cluster and the checks over it. */

/**
 * etcd's Raft timing (etcd docs, "Tuning": heartbeat 100 ms, election timeout 1000 ms; Raft
 * randomizes each member's timeout between 1× and 2× the configured value).
 */
export const ETCD_TIMING = {
  heartbeatMs: 100,
  electionTimeoutMs: { min: 1_000, max: 2_000 },
  /** A returning member replays this many entries per second while catching up. */
  catchUpEntriesPerSec: 20_000,
  /** Fixed part of catching up: fetching a snapshot and reconnecting. */
  catchUpBaseMs: 5_000,
  /**
   * The most entries a catching-up member replays: the leader keeps only the entries since its
   * last snapshot (`--snapshot-count`, 100 000 by default in etcd 3.5) and sends a member that
   * is further behind that snapshot instead (etcd docs v3.5, "Maintenance": Raft log retention).
   * So a learner joining a cluster with millions of entries takes seconds, not minutes.
   */
  snapshotCountEntries: 100_000,
} as const;

/**
 * The longest a connected majority may go without a leader: one randomized election timeout
 * (≤ 2 s) after the leader is noticed missing, plus a second round after a split vote, with
 * margin. Checked by the invariant "a leader exists within the election bound".
 */
export const ELECTION_BOUND_MS = 10_000;

/**
 * How long etcd may stay without a possible majority (voters lost with their AZs) before the
 * model rebuilds it from the survivors, as an operator would (etcd docs, "Disaster recovery";
 * docs/control-plane.md).
 */
export const QUORUM_LOSS_RECOVERY_MS = 10 * 60_000;
