/**
 * An Auto Scaling group of control-plane instances (docs/control-plane.md: API servers and etcd
 * run in Auto Scaling groups; AWS EKS Best Practices "EKS Control Plane": unhealthy nodes are
 * replaced automatically). How an ASG behaves (Amazon EC2 Auto Scaling User Guide):
 *
 * - It keeps min ≤ desired ≤ max; a desired capacity outside them is refused.
 * - It launches until as many instances run as desired, each in the launchable AZ with the
 *   fewest of the group's instances ("Auto Scaling benefits for application architecture":
 *   balanced across AZs; a partitioned AZ never, an impaired one only when no connected AZ is
 *   up). A failed instance no longer runs, so its replacement starts at once.
 * - An instance that still fails its health checks when the health-check grace period is over
 *   is unhealthy ("Health checks for instances in an Auto Scaling group"): the group
 *   terminates it.
 * - Above the desired capacity it terminates with the default termination policy: the AZ with
 *   the most instances first, and there the newest ("Control which Auto Scaling instances
 *   terminate during scale in"). During a rolling replacement one instance of surge is allowed.
 * - Once nothing is in flight and an AZ that is up again has none while another has two, it
 *   rebalances: it launches in the empty AZ first and removes from the crowded one once the new
 *   instance serves ("Rebalancing activities": launch before terminate).
 *
 * InService (as many healthy instances as desired) ⇄ Pending (launching replacements or new
 * capacity, or terminating surplus). On each health-check round (`HEALTH_CHECK`, with the
 * group's instances and the AZs as they are) the machine emits the steps due, in order; the
 * control plane carries them out (`api-servers.ts`). The etcd group's members are replaced
 * through etcd's learners (`etcd-operations.ts`), which uses the same grace and AZ choice.
 */
import { assign, enqueueActions, setup } from 'xstate';
import type { AzHealth, AzNetwork } from './az-machine';

/** An AZ as the group sees it, in the Region's order. */
export interface AsgAz {
  readonly id: string;
  readonly health: AzHealth;
  readonly network: AzNetwork;
}

/** One instance of the group on a health-check round. */
export interface AsgInstance {
  readonly id: string;
  readonly az: string;
  readonly size: string;
  readonly launchedAtMs: number;
  /**
   * pending: launching or starting; serving: passes its health checks; failed: fails them,
   * within the grace; unhealthy: failed past the grace; leaving: terminating or terminated.
   */
  readonly health: 'pending' | 'serving' | 'failed' | 'unhealthy' | 'leaving';
}

export interface HealthCheck {
  readonly instances: readonly AsgInstance[];
  readonly azs: readonly AsgAz[];
  /** The new instances of rolling replacements in flight (resize, rebalance). */
  readonly replacing: readonly string[];
  /** The size the group launches. */
  readonly size: string;
}

/** A step the group takes, in order. */
export type AsgStep =
  | { readonly type: 'terminate'; readonly id: string; readonly reason: 'unhealthy' | 'scale-in' }
  | { readonly type: 'launch'; readonly az: string }
  | { readonly type: 'rebalance'; readonly az: string; readonly size: string; readonly replaces: string };

export interface AsgContext {
  readonly min: number;
  readonly max: number;
  desired: number;
}

export type AsgEvent =
  | { type: 'SET_DESIRED'; desired: number }
  | { type: 'INSTANCE_UNHEALTHY' }
  | { type: 'CAPACITY_CHANGING' }
  | { type: 'AT_DESIRED' }
  | ({ type: 'HEALTH_CHECK' } & HealthCheck);

/**
 * AZs where the group may launch: connected ones, up first, impaired only if none is up. A
 * partitioned AZ is left out before choosing, so an AZ that is up but cut off cannot hide the
 * impaired, connected ones (the control plane then never healed: found by the campaign).
 */
function launchableAzs(azs: readonly AsgAz[]): AsgAz[] {
  const connected = azs.filter((a) => a.network !== 'partitioned');
  const up = connected.filter((a) => a.health === 'up');
  return up.length > 0 ? up : connected.filter((a) => a.health === 'impaired');
}

/** The launchable AZ with the fewest instances by `counts` (the first on a tie). */
export function azForLaunch(azs: readonly AsgAz[], counts: (az: string) => number, avoid?: string): string | undefined {
  let best: string | undefined;
  let bestCount = Number.POSITIVE_INFINITY;
  for (const az of launchableAzs(azs)) {
    if (az.id === avoid) continue;
    const c = counts(az.id);
    if (c < bestCount) {
      best = az.id;
      bestCount = c;
    }
  }
  return best;
}

/** Up and connected: an AZ a rebalance may move an instance into. */
export const azReady = (az: AsgAz | undefined): boolean => az?.health === 'up' && az.network === 'connected';

const live = (i: AsgInstance): boolean => i.health === 'pending' || i.health === 'serving';

/** The default termination policy: the newest instance in the AZ with the most. */
function scaleInVictim(instances: readonly AsgInstance[]): AsgInstance | undefined {
  const counts = new Map<string, number>();
  for (const a of instances) counts.set(a.az, (counts.get(a.az) ?? 0) + 1);
  let victim: AsgInstance | undefined;
  for (const a of instances) {
    const n = counts.get(a.az) ?? 0;
    const v = victim ? (counts.get(victim.az) ?? 0) : 0;
    if (!victim || n > v || (n === v && a.launchedAtMs >= victim.launchedAtMs)) victim = a;
  }
  return victim;
}

/** The steps of one health-check round, in the order the group takes them. */
export function healthCheckSteps(desired: number, check: HealthCheck): AsgStep[] {
  const steps: AsgStep[] = [];
  for (const i of check.instances)
    if (i.health === 'unhealthy') steps.push({ type: 'terminate', id: i.id, reason: 'unhealthy' });
  const surge = check.replacing.length > 0 ? 1 : 0;
  let running = check.instances.filter(live);
  while (running.length < desired) {
    const az = azForLaunch(check.azs, (z) => running.filter((a) => a.az === z).length);
    if (!az) break;
    steps.push({ type: 'launch', az });
    // Launches stop before any scale-in or rebalance: only the new instance's AZ matters.
    running = [...running, { id: '', az, size: check.size, launchedAtMs: 0, health: 'pending' }];
  }
  let replacing = check.replacing;
  while (running.length > desired + surge) {
    const victim = scaleInVictim(running);
    if (!victim) break;
    steps.push({ type: 'terminate', id: victim.id, reason: 'scale-in' });
    running = running.filter((a) => a !== victim);
    // A replacement whose new instance leaves is over.
    replacing = replacing.filter((id) => id !== victim.id);
  }
  const move = replacing.length === 0 ? rebalanceMove(running, check.azs) : undefined;
  if (move) steps.push(move);
  return steps;
}

/** After an AZ comes back: one instance from a crowded AZ into an empty one, launched first. */
function rebalanceMove(running: readonly AsgInstance[], azs: readonly AsgAz[]): AsgStep | undefined {
  const serving = running.filter((a) => a.health === 'serving');
  if (serving.length !== running.length) return undefined;
  const empty = azs.find((az) => azReady(az) && !serving.some((a) => a.az === az.id));
  if (!empty) return undefined;
  const crowded = azs.find((az) => serving.filter((a) => a.az === az.id).length >= 2);
  if (!crowded) return undefined;
  const old = serving.filter((a) => a.az === crowded.id).sort((x, y) => y.launchedAtMs - x.launchedAtMs)[0];
  return old ? { type: 'rebalance', az: empty.id, size: old.size, replaces: old.id } : undefined;
}

export const asgMachine = setup({
  types: {
    context: {} as AsgContext,
    input: {} as AsgContext,
    events: {} as AsgEvent,
    emitted: {} as AsgStep,
  },
  guards: {
    withinBounds: ({ context }, params: { desired: number }) =>
      params.desired >= context.min && params.desired <= context.max,
    /** An unhealthy instance to replace, or capacity to launch: the group is busy until it is done. */
    capacityChanging: ({ context, event }) =>
      event.type === 'HEALTH_CHECK' &&
      healthCheckSteps(context.desired, event).some((s) => s.type !== 'terminate' || s.reason === 'unhealthy'),
  },
  actions: {
    setDesired: assign({ desired: (_, params: { desired: number }) => params.desired }),
    takeSteps: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'HEALTH_CHECK') return;
      for (const step of healthCheckSteps(context.desired, event)) enqueue.emit(step);
    }),
  },
}).createMachine({
  id: 'autoScalingGroup',
  context: ({ input }) => ({ ...input }),
  initial: 'InService',
  on: {
    SET_DESIRED: {
      guard: { type: 'withinBounds', params: ({ event }) => ({ desired: event.desired }) },
      actions: { type: 'setDesired', params: ({ event }) => ({ desired: event.desired }) },
      target: '.Pending',
    },
  },
  states: {
    InService: {
      on: {
        INSTANCE_UNHEALTHY: 'Pending',
        CAPACITY_CHANGING: 'Pending',
        HEALTH_CHECK: [
          { guard: 'capacityChanging', target: 'Pending', actions: 'takeSteps' },
          { actions: 'takeSteps' },
        ],
      },
    },
    Pending: {
      on: { AT_DESIRED: 'InService', HEALTH_CHECK: { actions: 'takeSteps' } },
    },
  },
});
