import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { apiServerMachine } from '../../../packages/sim-core/src/control-plane/apiserver-machine';
import { asgMachine } from '../../../packages/sim-core/src/control-plane/asg-machine';
import { autoscalerMachine } from '../../../packages/sim-core/src/control-plane/autoscaler-machine';
import { azMachine } from '../../../packages/sim-core/src/control-plane/az-machine';
import { TIMING } from '../../../packages/sim-core/src/control-plane/facts';
import { nlbInDns, nlbNodeMachine } from '../../../packages/sim-core/src/control-plane/nlb-node-machine';
import { VirtualClock } from '../../../packages/sim-core/src/engine/clock';

describe('API server instance machine', () => {
  const input = { launchMs: 100_000, initMs: 50_000, drainMs: 30_000 };

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
  it('leaves DNS only after its health checks fail for 3 × 10 s, and stays in DNS meanwhile', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(nlbNodeMachine, { clock: clock.xstate, input: { startInDns: true } }).start();
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
    const actor = createActor(nlbNodeMachine, { clock: clock.xstate, input: { startInDns: false } }).start();
    expect(actor.getSnapshot().value).toBe('out-of-dns');
    actor.send({ type: 'TARGET_HEALTHY' });
    expect(nlbInDns(actor.getSnapshot().value as never)).toBe(false);
    clock.runUntil(TIMING.nlbHealthyMs);
    expect(actor.getSnapshot().value).toBe('in-dns');
  });

  it('a failed node is out of DNS and comes back out of DNS until its checks pass', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(nlbNodeMachine, { clock: clock.xstate, input: { startInDns: true } }).start();
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
});

describe('control-plane autoscaler machine', () => {
  it('takes no second decision inside the cooldown of the first', () => {
    const clock = new VirtualClock(0);
    const actor = createActor(autoscalerMachine, { clock: clock.xstate }).start();
    actor.send({ type: 'DECIDE', decision: 'scale-out', cooldownMs: 300_000 });
    expect(actor.getSnapshot().value).toBe('cooldown');
    actor.send({ type: 'DECIDE', decision: 'scale-in', cooldownMs: 1 });
    expect(actor.getSnapshot().context.lastDecision).toBe('scale-out');
    clock.runUntil(299_999);
    expect(actor.getSnapshot().value).toBe('cooldown');
    clock.runUntil(300_000);
    expect(actor.getSnapshot().value).toBe('watching');
  });
});

describe('AZ machine', () => {
  it('tracks health and partition independently', () => {
    const actor = createActor(azMachine).start();
    actor.send({ type: 'PARTITIONED' });
    actor.send({ type: 'AZ_IMPAIRED' });
    expect(actor.getSnapshot().value).toEqual({ health: 'impaired', network: 'partitioned' });
    actor.send({ type: 'AZ_FAILED' });
    actor.send({ type: 'HEALED' });
    expect(actor.getSnapshot().value).toEqual({ health: 'down', network: 'connected' });
    actor.send({ type: 'AZ_RECOVERED' });
    expect(actor.getSnapshot().value).toEqual({ health: 'up', network: 'connected' });
  });
});
