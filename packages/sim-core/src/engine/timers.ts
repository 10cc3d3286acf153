import type { TimerHandle, VirtualClock } from './clock';
import { SaveError } from './save-error';

/** A plain-JSON value: what a timer's payload and a save are made of. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json | undefined };

/** A named timer as a queue entry describes it (what a save writes). */
export interface NamedTimerData {
  readonly kind: 'timer';
  readonly name: string;
  readonly payload: Json;
}

/**
 * Hand timers as data: a handler registered once under a name (in a domain's constructor), and
 * timers that name it with a plain-JSON payload. The queue holds no closure a save could not
 * write; a handle's `order` is its stable id, kept by a save (`handle(id)` finds it again).
 */
export class NamedTimers {
  private readonly handlers = new Map<string, (payload: never) => void>();

  constructor(private readonly clock: VirtualClock) {}

  /** Registers what timers named `name` do when due. One handler per name, for the simulation's life. */
  on<T = Json>(name: string, handler: (payload: T) => void): void {
    if (this.handlers.has(name)) throw new Error(`timer name ${name} has two handlers`);
    this.handlers.set(name, handler as (payload: never) => void);
  }

  /** Runs the handler of `name` with `payload` in `delayMs` of simulated time. */
  after(delayMs: number, name: string, payload: Json = null): TimerHandle {
    return this.at(this.clock.now() + Math.max(0, delayMs), name, payload);
  }

  /** Runs the handler of `name` with `payload` at the absolute epoch ms `atMs` (now if past). */
  at(atMs: number, name: string, payload: Json = null): TimerHandle {
    return this.push(atMs, name, payload);
  }

  cancel(handle: TimerHandle | undefined): void {
    this.clock.cancel(handle);
  }

  /** The pending timer whose stable id (`handle.order`) a domain saved, or undefined if it is no longer due. */
  handle(id: number): TimerHandle | undefined {
    return this.clock.pendingEntries().find((e) => e.order === id && (e.data as NamedTimerData)?.kind === 'timer');
  }

  /** Puts a saved timer back in its place in the queue (restore only). */
  restore(atMs: number, order: number, name: string, payload: Json): void {
    if (!this.handlers.has(name)) {
      throw new SaveError(`the save has a timer named "${name}" that no domain handles (known: ${this.names()})`);
    }
    this.push(atMs, name, payload, order);
  }

  private push(atMs: number, name: string, payload: Json, order?: number): TimerHandle {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`no handler for timer name ${name} (known: ${this.names()})`);
    const data: NamedTimerData = { kind: 'timer', name, payload };
    return this.clock.schedule(atMs, () => handler(payload as never), data, order);
  }

  private names(): string {
    return [...this.handlers.keys()].sort().join(', ') || 'none';
  }
}
