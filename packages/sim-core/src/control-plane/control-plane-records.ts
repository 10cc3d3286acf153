/** The control plane's bookkeeping: records of its instances and operations, and the limits it keeps. */
import type { Actor } from 'xstate';
import type { InstanceLoad } from '../load/model';
import type { ApiServerState, apiServerMachine } from './apiserver-machine';
import type { AzHealth, AzNetwork, azMachine } from './az-machine';
import type { etcdInstanceMachine } from './etcd-instance-machine';
import type { NlbNodeState, nlbNodeMachine } from './nlb-node-machine';

/** How long a voter may try to rejoin while cut off from the majority before the ASG replaces it. */
export const ETCD_REJOIN_GRACE_MS = 5 * 60_000;

export type Group = 'apiServers' | 'etcd';

/*
 * The records read their states from their actors' snapshots, never copy them. Classes, so
 * that the getters are shared and the load tick's loops over them stay monomorphic.
 */

export class AzRecord {
  constructor(
    readonly id: string,
    readonly actor: Actor<typeof azMachine>,
  ) {}

  get health(): AzHealth {
    return (this.actor.getSnapshot().value as { health: AzHealth }).health;
  }

  get network(): AzNetwork {
    return (this.actor.getSnapshot().value as { network: AzNetwork }).network;
  }
}

export class ApiServerRecord {
  /** This tick's load (the load flow's figures, not the machine's). */
  load: InstanceLoad | null = null;
  unavailableRps = 0;

  constructor(
    readonly id: string,
    readonly az: string,
    readonly size: string,
    readonly actor: Actor<typeof apiServerMachine>,
    readonly launchedAtMs: number,
  ) {}

  get state(): ApiServerState {
    return this.actor.getSnapshot().value as ApiServerState;
  }
}

export class NlbRecord {
  constructor(
    readonly id: string,
    readonly az: string,
    readonly ips: readonly string[],
    readonly actor: Actor<typeof nlbNodeMachine>,
  ) {}

  get state(): NlbNodeState {
    return this.actor.getSnapshot().value as NlbNodeState;
  }
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
  /** The new etcd member's instance (`etcd-instance-machine.ts`); API server operations have none. */
  instance?: Actor<typeof etcdInstanceMachine>;
}

export const SERIES_LIMIT = 1440;
/** Tick pace while only a varying profile moves the load (one point of the series per tick). */
export const STEADY_TICK_MS = 60_000;
export const DECISION_LIMIT = 200;
export const LIVE_API: ReadonlySet<ApiServerState> = new Set(['launching', 'initializing', 'healthy', 'degraded']);
export const SERVING_API: ReadonlySet<ApiServerState> = new Set(['healthy', 'degraded']);

export const r1 = (x: number): number => Math.round(x * 10) / 10;
