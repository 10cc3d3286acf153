import type { ActorRegistry } from './actors';
import type { VirtualClock } from './clock';
import type { Command, CommandResult, CommandSpec } from './command-spec';
import type { EventLog, SimEvent } from './event-log';
import type { Prng } from './prng';
import type { NamedTimers } from './timers';

/**
 * What every domain (control plane, network, versions, …) gets from the engine: simulated
 * time, its own random streams, and the event log. A domain reaches another only through the
 * narrow ports it declares in its constructor (simulation.ts wires them); it changes no record
 * but its own.
 */
export interface SimContext {
  readonly clock: VirtualClock;
  readonly seed: number;
  /**
   * The random stream of one named component (see `splitPrng`), owned by the engine so a save
   * keeps its position. Each call starts the stream afresh: a component that keeps drawing asks
   * once (in its constructor) and keeps the stream.
   */
  rng(component: string): Prng;
  /** Root xstate actors under stable keys: `start`, `revive` (in `restore`), `stop`. */
  readonly actors: ActorRegistry;
  /** Hand timers as data: `on(name, handler)` in the constructor, then `after`/`at`/`cancel`. */
  readonly timers: NamedTimers;
  emit(type: string, source: string, message: string, data?: Record<string, unknown>): SimEvent;
  /** The event log, read-only: what the Kubernetes API's Events and resourceVersions are made from. */
  readonly log: Pick<EventLog, 'since' | 'lastSeq'>;
  /** Applies a command through the simulation's one dispatcher, as `source` (the shell's tools use it). */
  apply(command: Command, source: string): CommandResult;
}

/** One concept of the model: its state, its commands and its part of the snapshot. */
export interface Domain<TSnapshot extends object = object, TSaved = unknown> {
  readonly commands: readonly CommandSpec[];
  /** Called once every domain exists: initial scheduling, machines started. */
  start?(): void;
  /** This domain's keys of the snapshot, as plain JSON. */
  snapshot(): TSnapshot;
  /**
   * Its records, counters, ids and kept timer ids as plain JSON (not its actors: the registry
   * saves those). A domain without `save` makes `sim.save()` refuse (docs/architecture.md,
   * "Save and restore").
   */
  save?(): TSaved;
  /** Called instead of `start()` on a restored simulation: takes back what `save` wrote, revives its actors. */
  restore?(saved: TSaved): void;
}
