import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { apiServerMachine } from '../../../packages/sim-core/src/control-plane/apiserver-machine';
import {
  type AsgAz,
  type AsgInstance,
  asgMachine,
  type HealthCheck,
} from '../../../packages/sim-core/src/control-plane/asg-machine';
import { autoscalerMachine } from '../../../packages/sim-core/src/control-plane/autoscaler-machine';
import { azMachine } from '../../../packages/sim-core/src/control-plane/az-machine';
import { etcdInstanceMachine } from '../../../packages/sim-core/src/control-plane/etcd-instance-machine';
import { AUTOSCALER_RULES, TIMING } from '../../../packages/sim-core/src/control-plane/facts';
import { nlbInDns, nlbNodeMachine } from '../../../packages/sim-core/src/control-plane/nlb-node-machine';
import { VirtualClock } from '../../../packages/sim-core/src/engine/clock';

describe('API server instance machine', () => {
  const input = {
    id: 'apiserver-1',
    az: 'az1',
    size: 'm5.large',
    launchMs: 100_000,
    initMs: 50_000,
    drainMs: 30_000,
    healthCheckGraceMs: 60_000,
  };

  it('announces every state it enters in the event log, and says "again" when it recovers from overload', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(apiServerMachine, { clock: clock.xstate, input });
    const lines: string[] = [];
    actor.on('*', (e) => lines.push(`${e.type}: ${e.message}`));
    actor.start();
    clock.runUntil(150_000);
    actor.send({ type: 'OVERLOADED' });
    actor.send({ type: 'LOAD_NORMAL' });
    expect(lines).toEqual([
      'apiserver.launching: API server apiserver-1 (m5.large) is launching in az1',
      'apiserver.initializing: API server apiserver-1 in az1 is initializing (kube-apiserver starting)',
      'apiserver.healthy: API server apiserver-1 in az1 is healthy and registered with its NLB node',
      'apiserver.degraded: API server apiserver-1 in az1 is overloaded: APF queues are full, answering 429',
      'apiserver.healthy: API server apiserver-1 in az1 is healthy again',
    ]);
  });

  it('a failed instance is unhealthy for its Auto Scaling group only after the health-check grace', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(apiServerMachine, { clock: clock.xstate, input }).start();
    actor.send({ type: 'READY_NOW' });
    actor.send({ type: 'INSTANCE_FAILED' });
    clock.runUntil(59_999);
    expect(actor.getSnapshot().context.unhealthy).toBe(false);
    clock.runUntil(60_000);
    expect(actor.getSnapshot().value).toBe('failed');
    expect(actor.getSnapshot().context.unhealthy).toBe(true);
  });

  it('launches, initializes and becomes healthy after the launch and start-up times of simulated time', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(apiServerMachine, { clock: clock.xstate, input }).start();
    expect(actor.getSnapshot().value).toBe('launching');
    clock.runUntil(99_999);
    expect(actor.getSnapshot().value).toBe('launching');
    clock.runUntil(100_000);
    expect(actor.getSnapshot().value).toBe('initializing');
    clock.runUntil(150_000);
    expect(actor.getSnapshot().value).toBe('healthy');
  });

  it('is degraded while overloaded and healthy again when the load is normal', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(apiServerMachine, { clock: clock.xstate, input }).start();
    actor.send({ type: 'READY_NOW' });
    actor.send({ type: 'OVERLOADED' });
    expect(actor.getSnapshot().value).toBe('degraded');
    actor.send({ type: 'LOAD_NORMAL' });
    expect(actor.getSnapshot().value).toBe('healthy');
  });

  it('drains for the deregistration delay before it is terminated', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(apiServerMachine, { clock: clock.xstate, input }).start();
    actor.send({ type: 'READY_NOW' });
    actor.send({ type: 'TERMINATE' });
    expect(actor.getSnapshot().value).toBe('terminating');
    clock.runUntil(29_999);
    expect(actor.getSnapshot().value).toBe('terminating');
    clock.runUntil(30_000);
    expect(actor.getSnapshot().value).toBe('terminated');
  });

  it('a failed instance stays failed until the Auto Scaling group terminates it', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(apiServerMachine, { clock: clock.xstate, input }).start();
    actor.send({ type: 'INSTANCE_FAILED' });
    clock.runUntil(10 * 60_000);
    expect(actor.getSnapshot().value).toBe('failed');
    actor.send({ type: 'OVERLOADED' });
    expect(actor.getSnapshot().value).toBe('failed');
    actor.send({ type: 'TERMINATE' });
    expect(actor.getSnapshot().value).toBe('terminated');
  });
});

describe('NLB node machine', () => {
  const node = { id: 'nlb-az1', az: 'az1', ips: ['3.34.1.2'] };

  it('writes to the event log only when it enters or leaves DNS, or fails', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(nlbNodeMachine, { clock: clock.xstate, input: node });
    const lines: string[] = [];
    actor.on('*', (e) => {
      if (e.type !== 'changed') lines.push(`${e.type}: ${e.message}`);
    });
    actor.start();
    actor.send({ type: 'READY_NOW' });
    actor.send({ type: 'NO_HEALTHY_TARGET' });
    actor.send({ type: 'TARGET_HEALTHY' });
    actor.send({ type: 'NO_HEALTHY_TARGET' });
    clock.runUntil(TIMING.nlbUnhealthyMs);
    actor.send({ type: 'NODE_FAILED' });
    expect(lines).toEqual([
      'nlb.in-dns: NLB node nlb-az1 (3.34.1.2) passes health checks and is in DNS',
      'nlb.out-of-dns: NLB node nlb-az1 has no healthy API server in az1 and is out of DNS',
      'nlb.failed: NLB node nlb-az1 failed and left DNS',
    ]);
  });

  it('leaves DNS only after its health checks fail for 3 × 10 s, and stays in DNS meanwhile', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(nlbNodeMachine, { clock: clock.xstate, input: node }).start();
    actor.send({ type: 'READY_NOW' });
    expect(actor.getSnapshot().value).toBe('in-dns');
    actor.send({ type: 'NO_HEALTHY_TARGET' });
    expect(nlbInDns(actor.getSnapshot().value as never)).toBe(true);
    clock.runUntil(TIMING.nlbUnhealthyMs - 1);
    expect(nlbInDns(actor.getSnapshot().value as never)).toBe(true);
    clock.runUntil(TIMING.nlbUnhealthyMs);
    expect(actor.getSnapshot().value).toBe('out-of-dns');
  });

  it('returns to DNS once a target passes 2 health checks', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(nlbNodeMachine, { clock: clock.xstate, input: node }).start();
    expect(actor.getSnapshot().value).toBe('out-of-dns');
    actor.send({ type: 'TARGET_HEALTHY' });
    expect(nlbInDns(actor.getSnapshot().value as never)).toBe(false);
    clock.runUntil(TIMING.nlbHealthyMs);
    expect(actor.getSnapshot().value).toBe('in-dns');
  });

  it('a node of a control plane that already runs enters DNS at once, also while its checks are passing', () => {
    const clock = new VirtualClock(0);
    const lines: string[] = [];
    const actor = createActor(nlbNodeMachine, { clock: clock.xstate, input: node });
    actor.on('nlb.in-dns', (e) => lines.push(e.message));
    actor.start();
    actor.send({ type: 'TARGET_HEALTHY' });
    expect(actor.getSnapshot().value).toBe('passing-checks');
    actor.send({ type: 'READY_NOW' });
    expect(actor.getSnapshot().value).toBe('in-dns');
    clock.runUntil(TIMING.nlbHealthyMs);
    expect(lines).toEqual(['NLB node nlb-az1 (3.34.1.2) passes health checks and is in DNS']);
  });

  it('a failed node is out of DNS and comes back out of DNS until its checks pass', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(nlbNodeMachine, { clock: clock.xstate, input: node }).start();
    actor.send({ type: 'READY_NOW' });
    actor.send({ type: 'NODE_FAILED' });
    expect(nlbInDns(actor.getSnapshot().value as never)).toBe(false);
    actor.send({ type: 'NODE_RECOVERED' });
    expect(actor.getSnapshot().value).toBe('out-of-dns');
  });
});

describe('Auto Scaling group machine', () => {
  it('refuses a desired capacity outside min..max', () => {
    const actor = createActor(asgMachine, { input: { min: 2, desired: 2, max: 6 } }).start();
    actor.send({ type: 'SET_DESIRED', desired: 7 });
    expect(actor.getSnapshot().context.desired).toBe(2);
    actor.send({ type: 'SET_DESIRED', desired: 1 });
    expect(actor.getSnapshot().context.desired).toBe(2);
    actor.send({ type: 'SET_DESIRED', desired: 4 });
    expect(actor.getSnapshot().context.desired).toBe(4);
    expect(actor.getSnapshot().value).toBe('Pending');
    actor.send({ type: 'AT_DESIRED' });
    expect(actor.getSnapshot().value).toBe('InService');
  });

  const azs = (over: Record<string, Partial<AsgAz>> = {}): AsgAz[] =>
    ['az1', 'az2', 'az3'].map((id) => ({ id, health: 'up', network: 'connected', ...over[id] }));
  const instance = (id: string, az: string, health: AsgInstance['health'], launchedAtMs = 0): AsgInstance => ({
    id,
    az,
    size: 'm5.large',
    launchedAtMs,
    health,
  });
  /** One health-check round of a group that wants `desired` instances: the steps it emits, in order. */
  function round(desired: number, check: Partial<HealthCheck>) {
    const actor = createActor(asgMachine, { input: { min: 2, desired, max: 6 } });
    const steps: string[] = [];
    actor.on('*', (s) =>
      steps.push(
        s.type === 'launch'
          ? `launch ${s.az}`
          : s.type === 'terminate'
            ? `terminate ${s.id} (${s.reason})`
            : `rebalance into ${s.az} replacing ${s.replaces}`,
      ),
    );
    actor.start();
    actor.send({ type: 'HEALTH_CHECK', instances: [], azs: azs(), replacing: [], size: 'm5.large', ...check });
    return { steps, state: actor.getSnapshot().value };
  }

  it('replaces a failed instance at once in the AZ with the fewest, and terminates it once it is unhealthy', () => {
    const failed = round(2, { instances: [instance('a-1', 'az1', 'failed'), instance('a-2', 'az2', 'serving')] });
    expect(failed).toEqual({ steps: ['launch az1'], state: 'Pending' });
    const unhealthy = round(2, {
      instances: [
        instance('a-1', 'az1', 'unhealthy'),
        instance('a-2', 'az2', 'serving'),
        instance('a-3', 'az3', 'pending'),
      ],
    });
    expect(unhealthy).toEqual({ steps: ['terminate a-1 (unhealthy)'], state: 'Pending' });
  });

  it('launches in an impaired AZ only when no connected AZ is up, and never in a partitioned one', () => {
    const impaired = round(1, {
      azs: azs({ az1: { health: 'impaired' }, az2: { health: 'down' }, az3: { health: 'down' } }),
    });
    expect(impaired.steps).toEqual(['launch az1']);
    const cut = round(2, { azs: azs({ az1: { network: 'partitioned' } }) });
    expect(cut.steps).toEqual(['launch az2', 'launch az3']);
    // An AZ that is up but cut off does not hide the impaired, connected ones.
    const impairedAndCut = round(1, {
      azs: azs({ az1: { health: 'impaired' }, az2: { health: 'impaired' }, az3: { network: 'partitioned' } }),
    });
    expect(impairedAndCut.steps).toEqual(['launch az1']);
  });

  it('scales in the newest instance of the most crowded AZ, keeping one of surge during a replacement', () => {
    const instances = [
      instance('a-1', 'az1', 'serving', 1),
      instance('a-2', 'az2', 'serving', 2),
      instance('a-3', 'az2', 'serving', 3),
      instance('a-4', 'az1', 'serving', 4),
      instance('a-5', 'az2', 'serving', 5),
    ];
    const noAz3 = azs({ az3: { health: 'down' } });
    expect(round(3, { instances, azs: noAz3 })).toEqual({
      steps: ['terminate a-5 (scale-in)', 'terminate a-4 (scale-in)'],
      state: 'InService',
    });
    expect(round(3, { instances, azs: noAz3, replacing: ['a-9'] }).steps).toEqual(['terminate a-5 (scale-in)']);
    // With every AZ up, the same round then moves one of az2's two into the empty az3.
    expect(round(3, { instances }).steps).toEqual([
      'terminate a-5 (scale-in)',
      'terminate a-4 (scale-in)',
      'rebalance into az3 replacing a-3',
    ]);
  });

  it('rebalances once all serve: the newest of a crowded AZ is replaced in the empty AZ, launched first', () => {
    const instances = [instance('a-1', 'az1', 'serving', 1), instance('a-2', 'az1', 'serving', 2)];
    expect(round(2, { instances })).toEqual({ steps: ['rebalance into az2 replacing a-2'], state: 'Pending' });
    expect(
      round(2, { instances, azs: azs({ az2: { network: 'partitioned' }, az3: { health: 'impaired' } }) }).steps,
    ).toEqual([]);
    expect(round(2, { instances: [...instances, instance('a-3', 'az1', 'pending', 3)] }).steps).toEqual([
      'terminate a-3 (scale-in)',
      'rebalance into az2 replacing a-2',
    ]);
    expect(round(2, { instances, replacing: ['a-7'] }).steps).toEqual([]);
  });
});

describe('control-plane autoscaler machine', () => {
  const hot = { demand: 0.9, maxCpu: 0.9, maxMemory: 0.3, count: 2, desired: 2, sizeIndex: 0, busy: false };
  const measure = (atMs: number, m: Partial<typeof hot> = {}) => ({ type: 'MEASURED' as const, atMs, ...hot, ...m });

  it('scales out only once the rule has held for its window, then takes no decision inside the cooldown', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(autoscalerMachine, { clock: clock.xstate, input: { minCount: 2, maxCount: 6 } });
    const decisions: string[] = [];
    actor.on('decided', (d) => decisions.push(`${d.decision} ${d.from} → ${d.to}`));
    actor.start();
    const forMs = AUTOSCALER_RULES.scaleOut.forMs;
    actor.send(measure(0));
    actor.send(measure(forMs - 1));
    expect(decisions).toEqual([]);
    expect(actor.getSnapshot().context.windows.scaleOutSince).toBe(0);
    actor.send(measure(forMs));
    expect(decisions).toEqual(['scale-out 2 → 4']);
    expect(actor.getSnapshot().value).toBe('cooldown');
    clock.runUntil(forMs);
    actor.send(measure(forMs + 1));
    actor.send(measure(2 * forMs + 2));
    expect(decisions).toHaveLength(1);
    clock.runUntil(AUTOSCALER_RULES.scaleOut.cooldownMs - 1);
    expect(actor.getSnapshot().value).toBe('cooldown');
    clock.runUntil(AUTOSCALER_RULES.scaleOut.cooldownMs);
    expect(actor.getSnapshot().value).toBe('watching');
  });

  it('a rule that stops holding starts its window again, and nothing is decided while the group is busy', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(autoscalerMachine, { clock: clock.xstate, input: { minCount: 2, maxCount: 6 } });
    const decisions: string[] = [];
    actor.on('decided', (d) => decisions.push(d.decision));
    actor.start();
    const forMs = AUTOSCALER_RULES.scaleOut.forMs;
    actor.send(measure(0));
    actor.send(measure(forMs / 2, { demand: 0.3, maxCpu: 0.3 }));
    expect(actor.getSnapshot().context.windows.scaleOutSince).toBeNull();
    actor.send(measure(forMs));
    actor.send(measure(2 * forMs, { busy: true }));
    expect(decisions).toEqual([]);
    actor.send(measure(2 * forMs + 1));
    expect(decisions).toEqual(['scale-out']);
  });

  it('etcd, always three voters, only resizes: up a size when CPU stays high', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(autoscalerMachine, { clock: clock.xstate, input: { minCount: 3, maxCount: 3 } });
    const decisions: string[] = [];
    actor.on('decided', (d) => decisions.push(`${d.decision} ${d.from} → ${d.to}`));
    actor.start();
    actor.send(measure(0, { count: 3, desired: 3 }));
    actor.send(measure(AUTOSCALER_RULES.resizeUp.forMs, { count: 3, desired: 3 }));
    expect(decisions).toEqual(['resize-up m5.large → m5.xlarge']);
  });
});

describe('etcd instance machine', () => {
  it('starts after the launch and start-up time, naming the member it runs, and a stopped launch never starts', () => {
    const clock = new VirtualClock(0);
    const started: string[] = [];
    const input = (memberId: string) => ({ memberId, az: 'az2', size: 'm5.xlarge', startMs: 90_000 });
    const a = createActor(etcdInstanceMachine, { clock: clock.xstate, input: input('etcd-4') });
    a.on('started', (e) => started.push(`${e.memberId} ${e.size} in ${e.az}`));
    const b = createActor(etcdInstanceMachine, { clock: clock.xstate, input: input('etcd-5') });
    b.on('started', (e) => started.push(e.memberId));
    a.start();
    b.start();
    b.stop();
    clock.runUntil(89_999);
    expect(started).toEqual([]);
    clock.runUntil(90_000);
    expect(started).toEqual(['etcd-4 m5.xlarge in az2']);
    expect(a.getSnapshot().value).toBe('started');
  });
});

describe('AZ machine', () => {
  it('tracks health and partition independently, and announces each change', () => {
    const actor = createActor(azMachine, { input: { id: 'az1' } });
    const lines: string[] = [];
    actor.on('*', (e) => lines.push(e.message));
    actor.start();
    actor.send({ type: 'PARTITIONED' });
    actor.send({ type: 'AZ_IMPAIRED' });
    expect(actor.getSnapshot().value).toEqual({ health: 'impaired', network: 'partitioned' });
    actor.send({ type: 'AZ_FAILED' });
    actor.send({ type: 'HEALED' });
    expect(actor.getSnapshot().value).toEqual({ health: 'down', network: 'connected' });
    actor.send({ type: 'AZ_RECOVERED' });
    expect(actor.getSnapshot().value).toEqual({ health: 'up', network: 'connected' });
    expect(lines).toEqual([
      'az1 is cut off from the other AZs',
      'az1 is impaired: instances run at half capacity',
      'az1 is down: its instances are lost',
      'az1 can reach the other AZs again',
      'az1 is up again',
    ]);
  });
});
