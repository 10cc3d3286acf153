import type { VirtualClock } from './clock';
import type { Command, CommandResult, CommandSpec } from './command-spec';
import type { SimEvent } from './event-log';
import type { Prng } from './prng';

/**
 * What every domain (control plane, network, versions, …) gets from the engine: simulated
 * time, its own random streams, and the event log. A domain reaches another only through the
 * narrow ports it declares in its constructor (simulation.ts wires them); it changes no record
 * but its own.
 */
export interface SimContext {
  readonly clock: VirtualClock;
  readonly seed: number;
  /** The random stream of one named component (see `splitPrng`). */
  rng(component: string): Prng;
  emit(type: string, source: string, message: string, data?: Record<string, unknown>): SimEvent;
  /** Applies a command through the simulation's one dispatcher, as `source` (the shell's tools use it). */
  apply(command: Command, source: string): CommandResult;
}

/** One concept of the model: its state, its commands and its part of the snapshot. */
export interface Domain<TSnapshot extends object = object> {
  readonly commands: readonly CommandSpec[];
  /** Called once every domain exists: initial scheduling, machines started. */
  start?(): void;
  /** This domain's keys of the snapshot, as plain JSON. */
  snapshot(): TSnapshot;
}
