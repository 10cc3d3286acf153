/**
 * The load tick: the API load is a computed model (`../load/model.ts`), not a machine, and is
 * advanced on a named timer (`load.tick`) at three paces (a machine's `after` would re-enter a
 * state on every tick for nothing). It also owns the load commands (`load.set`, `load.spike`).
 */
import type { TimerHandle } from '../engine/clock';
import { type Command, type CommandResult, fail, ok } from '../engine/command-spec';
import type { SimContext } from '../engine/domain';
import { formatDuration, MAX_DURATION_TEXT, parseDate, parseDuration } from '../engine/duration';
import type { Scenario } from '../input/scenario';
import { baseClassRps, DEFAULT_LOAD, profileFactor, profileVaries } from '../load/model';
import type { ClassRps, LoadProfile, LoadScenario } from '../load/types';
import { r1, STEADY_TICK_MS } from './control-plane-records';
import type { ControlPlaneState } from './control-plane-state';
import type { LoadFlow } from './load-flow';
import type { ControlPlanePorts } from './ports';

/** What the control plane does on each tick, once the load has been computed. */
export interface TickWork {
  afterLoad(now: number): void;
  /** Nothing in the control plane is changing state and no autoscaler rule is counting. */
  settled(): boolean;
}

/** What a save keeps of the tick (the pending tick by its timer id). */
export interface SavedLoadTick {
  readonly load: LoadScenario;
  readonly spike: { factor: number; untilMs: number } | null;
  readonly timer: number | null;
  readonly lastTickMs: number;
  readonly nextPointMs: number;
  readonly scenarioStartMs: number | null;
}

const TICK = 'load.tick';

export class LoadTick {
  private load: LoadScenario;
  spike: { factor: number; untilMs: number } | null = null;
  private timer: TimerHandle | undefined;
  private lastTickMs: number;
  private nextPointMs = 0;
  private scenarioStartMs: number | undefined;

  constructor(
    private readonly ctx: SimContext,
    private readonly nodegroups: ControlPlanePorts['nodegroups'],
    private readonly scenario: Scenario,
    private readonly cp: ControlPlaneState,
    private readonly flow: LoadFlow,
    private readonly work: TickWork,
  ) {
    this.load = { ...(scenario.load ?? {}) };
    this.lastTickMs = ctx.clock.now();
    cp.kickSoon = () => this.kickSoon();
    ctx.timers.on(TICK, () => this.tick());
  }

  save(): SavedLoadTick {
    return {
      load: this.load,
      spike: this.spike,
      timer: this.timer?.order ?? null,
      lastTickMs: this.lastTickMs,
      nextPointMs: this.nextPointMs,
      scenarioStartMs: this.scenarioStartMs ?? null,
    };
  }

  restore(saved: SavedLoadTick): void {
    this.load = saved.load;
    this.spike = saved.spike;
    this.timer = saved.timer === null ? undefined : this.ctx.timers.handle(saved.timer);
    this.lastTickMs = saved.lastTickMs;
    this.nextPointMs = saved.nextPointMs;
    this.scenarioStartMs = saved.scenarioStartMs ?? undefined;
  }

  start(): void {
    this.schedule(this.tickMs());
  }

  profile(): LoadProfile {
    return this.load.profile ?? 'flat';
  }

  private tickMs(): number {
    return this.load.tickMs ?? DEFAULT_LOAD.tickMs;
  }

  private schedule(delayMs: number): void {
    this.ctx.timers.cancel(this.timer);
    this.timer = this.ctx.timers.after(delayMs, TICK);
  }

  /** After a change, bring the next tick forward if the calm tick would leave it waiting. */
  private kickSoon(): void {
    const due = this.timer?.atMs;
    const soon = this.ctx.clock.now() + this.tickMs();
    if (due === undefined || due > soon) this.schedule(this.tickMs());
  }

  private nodeCount(): number {
    let n = 0;
    for (const g of this.nodegroups.all) for (const node of g.nodes) if (node.state !== 'terminated') n++;
    return n;
  }

  private tick(): void {
    this.timer = undefined;
    const now = this.ctx.clock.now();
    const dtSec = Math.max(0, (now - this.lastTickMs) / 1000);
    this.lastTickMs = now;
    if (this.spike && now >= this.spike.untilMs) {
      this.ctx.emit('load.spike-ended', 'load', `Load spike ×${this.spike.factor} is over`);
      this.spike = null;
    }
    const nodes = this.nodeCount();
    const base = baseClassRps(this.load, nodes);
    const factor = profileFactor(this.profile(), this.load, now, this.startMs()) * (this.spike?.factor ?? 1);
    const byClass: ClassRps = {
      kubectl: base.kubectl * factor,
      controllers: base.controllers * factor,
      kubelets: base.kubelets * factor,
    };
    this.flow.compute(dtSec, byClass, nodes);
    this.work.afterLoad(now);
    if (now >= this.nextPointMs) {
      this.flow.recordPoint(now);
      this.nextPointMs = now - (now % 60_000) + 60_000;
    }
    this.schedule(this.nextTickDelay());
  }

  /**
   * Three paces: every `tickMs` (15 s) while anything moves (instances changing state, a rule's
   * window counting, a spike); once a minute while only a varying profile moves the load;
   * every `calmTickMs` (6 h) while the load is flat and nothing moves. Commands and state
   * changes bring the next tick forward (`kickSoon`).
   */
  private nextTickDelay(): number {
    if (this.spike || (this.cp.exists && !this.work.settled())) return this.tickMs();
    if (profileVaries(this.profile())) return Math.max(this.tickMs(), STEADY_TICK_MS);
    return this.load.calmTickMs ?? DEFAULT_LOAD.calmTickMs;
  }

  private startMs(): number {
    this.scenarioStartMs ??= parseDate(this.scenario.start) ?? this.lastTickMs;
    return this.scenarioStartMs;
  }

  handleLoadSet(c: Command): CommandResult {
    const keys = ['rps', 'kubectlRps', 'controllersRps', 'kubeletRpsPerNode', 'profile'];
    if (!keys.some((k) => c[k] !== undefined)) {
      return fail('InvalidField', `load.set: give at least one of ${keys.join(', ')}`);
    }
    let next: LoadScenario = { ...this.load };
    for (const k of ['kubectlRps', 'controllersRps', 'kubeletRpsPerNode', 'profile'] as const) {
      if (c[k] !== undefined) next = { ...next, [k]: c[k] };
    }
    if (typeof c.rps === 'number') {
      const base = baseClassRps(next, this.nodeCount());
      const total = base.kubectl + base.controllers + base.kubelets;
      const scale = total > 0 ? c.rps / total : 0;
      next =
        total > 0
          ? {
              ...next,
              kubectlRps: base.kubectl * scale,
              controllersRps: base.controllers * scale,
              kubeletRpsPerNode: (next.kubeletRpsPerNode ?? DEFAULT_LOAD.kubeletRpsPerNode) * scale,
            }
          : { ...next, controllersRps: c.rps };
    }
    this.load = next;
    const base = baseClassRps(next, this.nodeCount());
    const total = base.kubectl + base.controllers + base.kubelets;
    this.ctx.emit('load.changed', 'load', `Load set to ${r1(total)} rps (${next.profile ?? 'flat'})`, {
      rps: r1(total),
      profile: next.profile ?? 'flat',
    });
    this.kickSoon();
    return ok(`load: ${r1(total)} rps base, profile ${next.profile ?? 'flat'}`, { rps: total });
  }

  handleSpike(c: Command): CommandResult {
    const duration = c.duration === undefined ? 20 * 60_000 : parseDuration(String(c.duration));
    if (duration === undefined || duration <= 0) {
      return fail(
        'InvalidField',
        `load.spike: field "duration" must be a duration such as "20m", at most ${MAX_DURATION_TEXT} (got ${JSON.stringify(c.duration)})`,
      );
    }
    const factor = Number(c.factor);
    this.spike = { factor, untilMs: this.ctx.clock.now() + duration };
    this.ctx.emit('load.spike-started', 'load', `Load spike ×${factor} for ${formatDuration(duration)}`, {
      factor,
      durationMs: duration,
    });
    this.kickSoon();
    return ok(`load spike ×${factor} for ${formatDuration(duration)}`);
  }
}
