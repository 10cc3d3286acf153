import { describe, expect, it } from 'vitest';
import { emit, sendParent, setup } from 'xstate';
import { Engine, type EngineSave } from '../../packages/sim-core/src/engine/engine';
import { SaveError } from '../../packages/sim-core/src/engine/save-error';

/** A motor that reports it is up to speed 500 ms after it starts (an invoked child with its own `after`). */
const motorMachine = setup({}).createMachine({
  id: 'motor',
  initial: 'spinning',
  states: { spinning: { after: { 500: { target: 'up', actions: sendParent({ type: 'UP_TO_SPEED' }) } } }, up: {} },
});

/** A door: open for 1 s, then it closes with its motor; closed 3 s after it began, unless stopped. */
const doorMachine = setup({
  types: { events: {} as { type: 'UP_TO_SPEED' } | { type: 'STOP' }, emitted: {} as { type: string } },
  actors: { motor: motorMachine },
}).createMachine({
  id: 'door',
  initial: 'open',
  states: {
    open: { after: { 1000: 'closing' } },
    closing: {
      entry: emit({ type: 'door.closing' }),
      invoke: { id: 'motor', src: 'motor' },
      on: { UP_TO_SPEED: { actions: emit({ type: 'door.motor-up' }) }, STOP: 'open' },
      after: { 3000: 'closed' },
    },
    closed: { entry: emit({ type: 'door.closed' }), type: 'final' },
  },
});

/** One engine with the door under `door/front` and a named timer that logs at chosen times. */
function doorWorld(engine: Engine) {
  engine.timers.on<{ n: number }>('tick', ({ n }) => engine.emit('tick', 'clock', `tick ${n}`));
  return (actor: { on: (type: '*', fn: (e: { type: string }) => void) => unknown }) => {
    actor.on('*', (e) => engine.emit(e.type, 'door/front', e.type));
  };
}

const lines = (engine: Engine) => engine.log.since(0).map((e) => `${e.atMs} ${e.type}`);

function roundTrip(saved: EngineSave): EngineSave {
  return JSON.parse(JSON.stringify(saved)) as EngineSave;
}

describe('engine save and restore', () => {
  it('a restored actor keeps its pending after-delays, its child’s, and their order against named timers', () => {
    const original = new Engine(1, 0);
    const wire = doorWorld(original);
    original.actors.start('door/front', doorMachine, {}, wire);
    // Due at the same ms as the motor's 500 ms (1000 + 500) and the door's 3 s (1000 + 3000):
    // scheduled before them, so each runs first, in the original and in the restored engine.
    original.timers.at(1500, 'tick', { n: 1 });
    original.timers.at(4000, 'tick', { n: 2 });
    original.clock.runUntil(1200); // the door is closing, its motor spinning: three events pending
    const saved = roundTrip(original.save());
    expect(saved.queue.map((e) => `${e.atMs} ${e.kind}`)).toEqual([
      '1500 timer',
      '1500 xstate',
      '4000 timer',
      '4000 xstate',
    ]);

    const restored = new Engine(1, saved.nowMs);
    const rewire = doorWorld(restored);
    restored.beginRestore(saved);
    restored.actors.revive('door/front', doorMachine, rewire);
    restored.endRestore(saved);

    original.clock.runUntil(10_000);
    restored.clock.runUntil(10_000);
    expect(lines(restored)).toEqual(lines(original));
    expect(lines(original).slice(1)).toEqual(['1500 tick', '1500 door.motor-up', '4000 tick', '4000 door.closed']);
    expect(restored.actors.get('door/front')?.getSnapshot().value).toBe('closed');
  });

  it('a restored delayed event can still be cancelled by leaving its state', () => {
    const original = new Engine(1, 0);
    original.actors.start('door/front', doorMachine, {}, doorWorld(original));
    original.clock.runUntil(1200);
    const saved = roundTrip(original.save());
    const restored = new Engine(1, saved.nowMs);
    const wire = doorWorld(restored);
    restored.beginRestore(saved);
    const door = restored.actors.revive('door/front', doorMachine, wire);
    restored.endRestore(saved);
    door.send({ type: 'STOP' }); // back to open: closing's 3 s and the motor's 500 ms are cancelled
    restored.clock.runUntil(2199);
    expect(door.getSnapshot().value).toBe('open');
    restored.clock.runUntil(2200);
    expect(door.getSnapshot().value).toBe('closing');
    expect(lines(restored).filter((l) => l.endsWith('door.motor-up'))).toEqual([]);
  });

  it('random streams continue where they were', () => {
    const original = new Engine(7, 0);
    const stream = original.rng('component');
    stream.next();
    const saved = roundTrip(original.save());
    const restored = new Engine(7, 0);
    const again = restored.rng('component');
    restored.beginRestore(saved);
    restored.endRestore(saved);
    expect(again.next()).toBe(stream.next());
  });

  it('refuses a closure timer, an actor nobody revives and a timer nobody handles, naming each', () => {
    const withClosure = new Engine(1, 0);
    withClosure.clock.after(5, () => {});
    expect(() => withClosure.save()).toThrow(/closure \(clock.at\/after\), which cannot be saved/);

    const original = new Engine(1, 0);
    original.timers.on('tick', () => {});
    original.timers.after(5, 'tick');
    original.actors.start('door/front', doorMachine, {});
    const saved = roundTrip(original.save());

    const noHandler = new Engine(1, 0);
    expect(() => noHandler.beginRestore(saved)).toThrow(
      new SaveError('the save has a timer named "tick" that no domain handles (known: none)'),
    );

    const notRevived = new Engine(1, 0);
    notRevived.timers.on('tick', () => {});
    notRevived.beginRestore(saved);
    expect(() => notRevived.actors.revive('door/back', doorMachine)).toThrow(
      /cannot revive actor "door\/back": the save has no actor/,
    );
    expect(() => notRevived.endRestore(saved)).toThrow(/no domain revived the saved actor\(s\) door\/front/);
  });
});
