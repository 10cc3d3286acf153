import {
  type Actor,
  type AnyActorRef,
  type AnyStateMachine,
  createActor,
  type EventObject,
  type InputFrom,
} from 'xstate';
import type { TimerHandle, VirtualClock, XstateClock } from './clock';
import { SaveError } from './save-error';
import type { Json } from './timers';

/** An xstate delayed event (`after`, a delayed `raise`/`sendTo`) as its queue entry describes it. */
export interface XstateEventData {
  readonly kind: 'xstate';
  /** The registry key of the root actor whose system scheduled it. */
  readonly actor: string;
  readonly source: AnyActorRef;
  readonly target: AnyActorRef;
  readonly event: EventObject;
  readonly id: string | undefined;
}

/**
 * A pending xstate delayed event in a save. Actors are named by their root's key and the path of
 * child ids below it (`[]` is the root): session ids differ between runs, these do not.
 */
export interface SavedXstateEvent {
  readonly kind: 'xstate';
  readonly atMs: number;
  readonly order: number;
  readonly actor: string;
  readonly source: readonly string[];
  readonly target: readonly string[];
  readonly event: Json;
  readonly id: string | null;
}

export interface SavedActor {
  readonly key: string;
  /** `actor.getPersistedSnapshot()`: value, context, children (and theirs), status. */
  readonly snapshot: Json;
}

type Wire<M extends AnyStateMachine> = (actor: Actor<M>) => void;

/**
 * Every root xstate actor of a simulation under a stable key (`apiserver/apiserver-3`), so that
 * a save can write its persisted snapshot and a restore can give it back to its domain.
 *
 * xstate 5 does not persist an actor's pending delayed events (statelyai/xstate#5331): its
 * system's scheduler keeps them in a closure, and a restored actor does not run its state's
 * entry actions again, so its `after` timers would be lost. The registry therefore wraps each
 * root system's `scheduler.schedule` (children share their root's system and scheduler) and
 * gives xstate a clock whose entries carry the event as data; a save writes those entries
 * with their due time and queue order, and a restore schedules each again through the same
 * scheduler, with the remaining delay and the same order, so xstate can still cancel it.
 */
export class ActorRegistry {
  private readonly actors = new Map<string, Actor<AnyStateMachine>>();
  /** What the scheduler is scheduling now: the clock below turns it into the entry's data. */
  private scheduling: XstateEventData | undefined;
  /** Set while a restore puts a saved event back: its due time and queue order. */
  private placing: { atMs: number; order: number } | undefined;
  /** Saved actors not yet revived, and their pending events (restore only). */
  private toRevive = new Map<string, { snapshot: Json; events: SavedXstateEvent[] }>();

  private readonly clockForXstate: XstateClock = {
    setTimeout: (fn, timeout) => {
      const run = () => fn();
      const placing = this.placing;
      if (placing) return this.clock.schedule(placing.atMs, run, this.scheduling, placing.order);
      return this.clock.schedule(this.clock.now() + Math.max(0, timeout), run, this.scheduling);
    },
    clearTimeout: (handle) => this.clock.cancel(handle as TimerHandle),
  };

  constructor(private readonly clock: VirtualClock) {}

  /**
   * Creates, registers and starts a root actor under `key` (unique in the simulation). `wire`
   * attaches the domain's listeners (`on`, `subscribe`) before it starts, so entry events are heard.
   */
  start<M extends AnyStateMachine>(
    key: string,
    machine: M,
    options: { input?: InputFrom<M> },
    wire?: Wire<M>,
  ): Actor<M> {
    if (this.actors.has(key)) throw new Error(`an actor with key ${key} is already running`);
    const actor = createActor(machine, { clock: this.clockForXstate, input: options.input } as never) as Actor<M>;
    this.hookScheduler(key, actor);
    this.actors.set(key, actor as unknown as Actor<AnyStateMachine>);
    wire?.(actor);
    actor.start();
    return actor;
  }

  /**
   * Gives a domain back, during its `restore`, the actor it had under `key`: from its persisted
   * snapshot, with its pending delayed events at their saved due times and queue order. `wire`
   * is attached once it runs (a restored actor runs no entry action, so there is nothing to hear before).
   */
  revive<M extends AnyStateMachine>(key: string, machine: M, wire?: Wire<M>): Actor<M> {
    const saved = this.toRevive.get(key);
    if (!saved) {
      const why = this.actors.has(key) ? 'it was revived twice' : 'the save has no actor under that key';
      throw new SaveError(`cannot revive actor "${key}": ${why}`);
    }
    this.toRevive.delete(key);
    const actor = createActor(machine, { clock: this.clockForXstate, snapshot: saved.snapshot } as never) as Actor<M>;
    const restored = actor.getSnapshot() as { status: string; error?: unknown };
    if (restored.status === 'error') {
      throw new SaveError(`actor "${key}": its saved snapshot does not fit its machine (${String(restored.error)})`);
    }
    this.hookScheduler(key, actor);
    this.actors.set(key, actor as unknown as Actor<AnyStateMachine>);
    actor.start();
    // xstate 5.33 starts a restored system with no scheduled events; if a later version
    // rescheduled them itself, each would run twice.
    if (Object.keys(actor.system.getSnapshot()._scheduledEvents).length > 0) {
      throw new Error(`xstate rescheduled the delayed events of restored actor ${key}: the registry would double them`);
    }
    for (const e of saved.events) this.placeEvent(key, actor, e);
    wire?.(actor);
    return actor;
  }

  /** Stops the actor under `key` (its pending delayed events are cancelled) and forgets it. */
  stop(key: string): void {
    const actor = this.actors.get(key);
    if (!actor) return;
    this.actors.delete(key);
    actor.stop();
  }

  get(key: string): Actor<AnyStateMachine> | undefined {
    return this.actors.get(key);
  }

  has(key: string): boolean {
    return this.actors.has(key);
  }

  /** Every registered actor's persisted snapshot, in registration order. */
  save(): SavedActor[] {
    return [...this.actors].map(([key, actor]) => {
      try {
        return { key, snapshot: actor.getPersistedSnapshot() as Json };
      } catch (error) {
        throw new SaveError(`actor "${key}" cannot be saved: ${(error as Error).message}`);
      }
    });
  }

  /** A pending queue entry of an xstate event, as data (actors named by key and child path). */
  saveEvent(data: XstateEventData, atMs: number, order: number): SavedXstateEvent {
    const root = this.actors.get(data.actor);
    if (!root) throw new SaveError(`a delayed xstate event is pending for actor "${data.actor}", which was stopped`);
    return {
      kind: 'xstate',
      atMs,
      order,
      actor: data.actor,
      source: this.pathOf(data.source, root, data.actor),
      target: this.pathOf(data.target, root, data.actor),
      event: data.event as unknown as Json,
      id: data.id ?? null,
    };
  }

  /** Starts a restore: the saved actors wait for their domains to revive them. */
  beginRestore(actors: readonly SavedActor[], events: readonly SavedXstateEvent[]): void {
    this.toRevive = new Map(actors.map((a) => [a.key, { snapshot: a.snapshot, events: [] }]));
    for (const e of events) {
      const entry = this.toRevive.get(e.actor);
      if (!entry) throw new SaveError(`the save has a delayed event for actor "${e.actor}", which it does not contain`);
      entry.events.push(e);
    }
  }

  /** Ends a restore: every saved actor must have been revived by its domain. */
  endRestore(): void {
    const left = [...this.toRevive.keys()];
    this.toRevive.clear();
    if (left.length > 0) {
      throw new SaveError(`no domain revived the saved actor(s) ${left.join(', ')}`);
    }
  }

  private hookScheduler(key: string, actor: Actor<AnyStateMachine>): void {
    const scheduler = actor.system.scheduler;
    const schedule = scheduler.schedule.bind(scheduler);
    scheduler.schedule = (source, target, event, delay, id) => {
      this.scheduling = { kind: 'xstate', actor: key, source, target, event, id };
      try {
        schedule(source, target, event, delay, id);
      } finally {
        this.scheduling = undefined;
      }
    };
  }

  private placeEvent(key: string, root: Actor<AnyStateMachine>, e: SavedXstateEvent): void {
    const source = this.findChild(root, e.source, key);
    const target = this.findChild(root, e.target, key);
    this.placing = { atMs: e.atMs, order: e.order };
    try {
      root.system.scheduler.schedule(
        source,
        target,
        e.event as unknown as EventObject,
        e.atMs - this.clock.now(),
        e.id ?? undefined,
      );
    } finally {
      this.placing = undefined;
    }
  }

  private pathOf(ref: AnyActorRef, root: AnyActorRef, key: string): string[] {
    const path: string[] = [];
    let at: AnyActorRef | undefined = ref;
    while (at && at !== root) {
      path.unshift(at.id);
      at = at._parent;
    }
    if (at !== root) throw new SaveError(`a delayed event of actor "${key}" names an actor outside its system`);
    return path;
  }

  private findChild(root: AnyActorRef, path: readonly string[], key: string): AnyActorRef {
    let at: AnyActorRef = root;
    for (const id of path) {
      const child = (at.getSnapshot() as { children?: Record<string, AnyActorRef> }).children?.[id];
      if (!child) throw new SaveError(`actor "${key}" has no child "${path.join('/')}" for its saved delayed event`);
      at = child;
    }
    return at;
  }
}
