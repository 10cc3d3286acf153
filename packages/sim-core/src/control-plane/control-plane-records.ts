/** The control plane's bookkeeping: records of its instances and operations, and the limits it keeps. */
import type { Actor } from 'xstate';
import type { TimerHandle } from '../engine/clock';
import type { InstanceLoad } from '../load/model';
import type { ApiServerState, apiServerMachine } from './apiserver-machine';
import type { AzHealth, AzNetwork, azMachine } from './az-machine';
import type { NlbNodeState, nlbNodeMachine } from './nlb-node-machine';

/** How long etcd may stay without a possible majority (members lost with their AZ) before it is rebuilt. */
export const QUORUM_LOSS_RECOVERY_MS = 10 * 60_000;

/** How long a voter may try to rejoin while cut off from the majority before the ASG replaces it. */
export const ETCD_REJOIN_GRACE_MS = 5 * 60_000;

export type Group = 'apiServers' | 'etcd';

export interface AzRecord {
  readonly id: string;
  health: AzHealth;
  network: AzNetwork;
  readonly actor: Actor<typeof azMachine>;
}

export interface ApiServerRecord {
  readonly id: string;
  readonly az: string;
  readonly size: string;
  state: ApiServerState;
  readonly actor: Actor<typeof apiServerMachine>;
  readonly launchedAtMs: number;
  failedAtMs: number | null;
  load: InstanceLoad | null;
  unavailableRps: number;
}

export interface NlbRecord {
  readonly id: string;
  readonly az: string;
  readonly ips: readonly string[];
  state: NlbNodeState;
  readonly actor: Actor<typeof nlbNodeMachine>;
}

/** Why an etcd member is not serving: its process crashed (restartable) or its instance is gone. */
export interface EtcdInstanceFault {
  /** crashed: process down (restartable); lost: instance gone with its AZ; cut-off: cannot rejoin the majority. */
  readonly kind: 'crashed' | 'lost' | 'cut-off';
  readonly sinceMs: number;
}

export interface Operation {
  readonly kind: 'replace' | 'resize' | 'rebalance';
  readonly group: Group;
  /** Where the new instance goes. */
  readonly az: string;
  readonly newId: string;
  /** The member or instance it takes the place of; null for an addition. */
  replaces: string | null;
  readonly startedAtMs: number;
  launchTimer?: TimerHandle;
}

/** Time-above-threshold windows of the autoscaler rules. */
export interface Windows {
  scaleOutSince: number | null;
  scaleInSince: number | null;
  resizeUpSince: number | null;
  resizeDownSince: number | null;
}

export const SERIES_LIMIT = 1440;
/** Tick pace while only a varying profile moves the load (one point of the series per tick). */
export const STEADY_TICK_MS = 60_000;
export const DECISION_LIMIT = 200;
export const LIVE_API: ReadonlySet<ApiServerState> = new Set(['launching', 'initializing', 'healthy', 'degraded']);
export const SERVING_API: ReadonlySet<ApiServerState> = new Set(['healthy', 'degraded']);

export const r1 = (x: number): number => Math.round(x * 10) / 10;
