import { ActorRegistry, type SavedActor, type SavedXstateEvent, type XstateEventData } from './actors';
import { VirtualClock } from './clock';
import type { Command, CommandResult } from './command-spec';
import type { SimContext } from './domain';
import { isoTime } from './duration';
import { EventLog, type SimEvent } from './event-log';
import { type PrngState, type PrngStream, splitPrng } from './prng';
import { SaveError } from './save-error';
import { type Json, type NamedTimerData, NamedTimers } from './timers';

/** A pending named timer in a save. */
export interface SavedNamedTimer {
  readonly kind: 'timer';
  readonly atMs: number;
  readonly order: number;
  readonly name: string;
  readonly payload: Json;
}

export type SavedQueueEntry = SavedNamedTimer | SavedXstateEvent;

/** The engine's part of a save: time, the queue as data, the random streams, the actors, the log. */
export interface EngineSave {
  readonly nowMs: number;
  /** The queue's next order number: entries scheduled after a restore sort as they would have. */
  readonly nextOrder: number;
  /** Every pending entry, in run order. */
  readonly queue: readonly SavedQueueEntry[];
  /** Each engine-owned random stream's position, by name. */
  readonly rng: Readonly<Record<string, PrngState>>;
  readonly actors: readonly SavedActor[];
  readonly log: readonly SimEvent[];
}

/**
 * What a simulation runs on: the virtual clock and its queue, named timers, the actor registry,
 * the random streams and the event log. It hands each domain a `SimContext`, and saves and
 * restores all of it as plain JSON (docs/architecture.md, "Save and restore").
 */
export class Engine {
  readonly clock: VirtualClock;
  readonly log = new EventLog();
  readonly timers: NamedTimers;
  readonly actors: ActorRegistry;
  private readonly streams = new Map<string, PrngStream>();

  constructor(
    readonly seed: number,
    nowMs: number,
  ) {
    this.clock = new VirtualClock(nowMs);
    this.timers = new NamedTimers(this.clock);
    this.actors = new ActorRegistry(this.clock);
  }

  /** A named random stream, started afresh (as `splitPrng`), whose position a save keeps. */
  rng(component: string): PrngStream {
    const stream = splitPrng(this.seed, component);
    this.streams.set(component, stream);
    return stream;
  }

  emit(type: string, source: string, message: string, data?: Record<string, unknown>): SimEvent {
    const atMs = this.clock.now();
    return this.log.append(data ? { atMs, type, source, message, data } : { atMs, type, source, message });
  }

  context(apply: (command: Command, source: string) => CommandResult): SimContext {
    return {
      clock: this.clock,
      seed: this.seed,
      rng: (component) => this.rng(component),
      actors: this.actors,
      timers: this.timers,
      emit: (type, source, message, data) => this.emit(type, source, message, data),
      log: this.log,
      apply,
    };
  }

  save(): EngineSave {
    const queue = this.clock.pendingEntries().map((entry): SavedQueueEntry => {
      const data = entry.data as NamedTimerData | XstateEventData | undefined;
      if (data?.kind === 'timer') {
        return { kind: 'timer', atMs: entry.atMs, order: entry.order, name: data.name, payload: data.payload };
      }
      if (data?.kind === 'xstate') return this.actors.saveEvent(data, entry.atMs, entry.order);
      throw new SaveError(
        `a timer due at ${isoTime(entry.atMs)} was scheduled as a closure (clock.at/after), which cannot be saved; use ctx.timers or an actor's 'after'`,
      );
    });
    const rng: Record<string, PrngState> = {};
    for (const [name, stream] of this.streams) rng[name] = stream.state();
    return {
      nowMs: this.clock.now(),
      nextOrder: this.clock.nextOrder,
      queue,
      rng,
      actors: this.actors.save(),
      log: this.log.since(0),
    };
  }

  /**
   * First half of a restore, after the domains' constructors (which registered the timer names)
   * and before their `restore`: the log, the queue's named timers at their saved places, and
   * the saved actors waiting to be revived.
   */
  beginRestore(saved: EngineSave): void {
    this.log.load(saved.log);
    this.clock.nextOrder = saved.nextOrder;
    const events: SavedXstateEvent[] = [];
    for (const entry of saved.queue) {
      if (entry.kind === 'timer') this.timers.restore(entry.atMs, entry.order, entry.name, entry.payload);
      else events.push(entry);
    }
    this.actors.beginRestore(saved.actors, events);
  }

  /** Second half, after every domain's `restore`: all actors revived, streams back at their saved positions. */
  endRestore(saved: EngineSave): void {
    this.actors.endRestore();
    for (const [name, stream] of this.streams) {
      const state = saved.rng[name];
      if (state) stream.setState(state);
    }
    const pending = this.clock.pendingEntries().length;
    if (this.clock.nextOrder !== saved.nextOrder || pending !== saved.queue.length) {
      throw new SaveError(
        `the restored queue does not match the save (${pending} entries, next order ${this.clock.nextOrder}; saved ${saved.queue.length}, ${saved.nextOrder}): a domain's restore scheduled new work`,
      );
    }
  }
}
