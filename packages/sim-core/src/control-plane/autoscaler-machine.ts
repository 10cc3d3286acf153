/**
 * The control-plane autoscaler, one per group of instances. EKS scales the control plane with
 * its load, at no cost to the customer: it watches CPU and memory (and, since 2024, node count
 * and etcd size) and adds API server instances or moves them to larger sizes (AWS EKS Best
 * Practices, "EKS Control Plane"; Amazon EKS User Guide, "Amazon EKS architecture").
 *
 * Each load tick the control plane sends a `MEASURED` event. The machine keeps, for each rule
 * of `AUTOSCALER_RULES`, the window since when the rule has held (context), and while
 * `watching` takes a decision once a rule has held for its `forMs` (guards, checked in the
 * order scale out, resize up, scale in, resize down) and nothing of the group is in flight.
 * A decision is emitted (`decided`: the group acts on it) and the autoscaler rests in
 * `cooldown` for the decision's cooldown (`after`). That is why it cannot flap: nothing is
 * decided inside a cooldown; the windows keep counting meanwhile.
 */
import { assign, emit, setup } from 'xstate';
import { AUTOSCALER_RULES, SIZE_LADDER, sizeByIndex } from './facts';

export type ScalingDecision = 'scale-out' | 'scale-in' | 'resize-up' | 'resize-down';
type Rule = 'scaleOut' | 'scaleIn' | 'resizeUp' | 'resizeDown';

/** Since when each rule has held (null: it does not hold now). */
export type Windows = Readonly<Record<`${Rule}Since`, number | null>>;

/** What the control plane measures of a group on one tick. */
export interface Measurement {
  readonly atMs: number;
  /** Offered load as a share of CPU capacity (API servers: their average; etcd: its busiest voter). */
  readonly demand: number;
  readonly maxCpu: number;
  readonly maxMemory: number;
  /** Instances measured, and how many the group's Auto Scaling group wants. */
  readonly count: number;
  readonly desired: number;
  /** The group's instance size, as an index into `SIZE_LADDER`. */
  readonly sizeIndex: number;
  /** A replacement, resize or rebalance of the group is in flight: no decision until it is done. */
  readonly busy: boolean;
}

export interface AutoscalerInput {
  /** How many instances the group may have (etcd: always three voters, so it only resizes). */
  readonly minCount: number;
  readonly maxCount: number;
}

export interface AutoscalerContext extends AutoscalerInput {
  readonly windows: Windows;
  readonly cooldownMs: number;
  readonly lastDecision: ScalingDecision | null;
}

export type AutoscalerEvent = { type: 'MEASURED' } & Measurement;

export interface ScalingDecided {
  readonly type: 'decided';
  readonly decision: ScalingDecision;
  /** A count (scale out or in) or a size name (resize). */
  readonly from: string;
  readonly to: string;
  readonly cooldownMs: number;
  /** The demand that led to it (share of CPU capacity). */
  readonly demand: number;
}

const DECISION: Record<Rule, ScalingDecision> = {
  scaleOut: 'scale-out',
  resizeUp: 'resize-up',
  scaleIn: 'scale-in',
  resizeDown: 'resize-down',
};

/** Whether each rule holds for this measurement. */
function holds(c: AutoscalerInput, m: Measurement): Record<Rule, boolean> {
  const r = AUTOSCALER_RULES;
  const atMax = m.desired >= c.maxCount;
  return {
    scaleOut: m.demand > r.scaleOut.cpuAbove && !atMax,
    scaleIn: m.maxCpu < r.scaleIn.cpuBelow && m.desired > c.minCount && (m.demand * m.count) / (m.count - 1) < 0.5,
    resizeUp:
      m.sizeIndex < SIZE_LADDER.length - 1 &&
      ((atMax && m.demand > r.resizeUp.cpuAbove) || m.maxMemory > r.resizeUp.memoryAbove),
    resizeDown: m.sizeIndex > 0 && m.maxCpu < r.resizeDown.cpuBelow && m.maxMemory < r.resizeDown.memoryBelow,
  };
}

/** The windows after this measurement: a rule that holds keeps its start, one that does not is reset. */
function windowsAfter(c: AutoscalerContext, m: Measurement): Windows {
  const h = holds(c, m);
  const w = c.windows;
  return {
    scaleOutSince: h.scaleOut ? (w.scaleOutSince ?? m.atMs) : null,
    scaleInSince: h.scaleIn ? (w.scaleInSince ?? m.atMs) : null,
    resizeUpSince: h.resizeUp ? (w.resizeUpSince ?? m.atMs) : null,
    resizeDownSince: h.resizeDown ? (w.resizeDownSince ?? m.atMs) : null,
  };
}

/**
 * Whether a measurement can move the autoscaler: a rule holds now or has been holding. Most
 * ticks measure a calm group; the control plane does not send those (the bench's hot path).
 */
export function measurementMatters(c: AutoscalerContext, m: Measurement): boolean {
  const w = c.windows;
  if (w.scaleOutSince !== null || w.scaleInSince !== null || w.resizeUpSince !== null || w.resizeDownSince !== null)
    return true;
  const h = holds(c, m);
  return h.scaleOut || h.scaleIn || h.resizeUp || h.resizeDown;
}

/** What a decision changes: the desired count, or the size. */
function proposal(rule: Rule, c: AutoscalerInput, m: Measurement): { from: string; to: string } {
  if (rule === 'scaleOut') {
    const target = Math.min(
      c.maxCount,
      m.desired + 3,
      Math.max(m.desired + 1, Math.ceil((m.desired * m.demand) / 0.5)),
    );
    return { from: `${m.desired}`, to: `${target}` };
  }
  if (rule === 'scaleIn') return { from: `${m.desired}`, to: `${m.desired - 1}` };
  const step = rule === 'resizeUp' ? 1 : -1;
  return { from: sizeByIndex(m.sizeIndex).name, to: sizeByIndex(m.sizeIndex + step).name };
}

const NO_WINDOWS: Windows = { scaleOutSince: null, scaleInSince: null, resizeUpSince: null, resizeDownSince: null };

export const autoscalerMachine = setup({
  types: {
    context: {} as AutoscalerContext,
    input: {} as AutoscalerInput,
    events: {} as AutoscalerEvent,
    emitted: {} as ScalingDecided,
  },
  guards: {
    /** The rule has held for its `forMs`, and nothing of the group is in flight. */
    held: ({ context, event }, params: { rule: Rule }) => {
      if (event.busy) return false;
      const since = windowsAfter(context, event)[`${params.rule}Since`];
      return since !== null && event.atMs - since >= AUTOSCALER_RULES[params.rule].forMs;
    },
  },
  actions: {
    measure: assign({ windows: ({ context, event }) => windowsAfter(context, event) }),
    /** The rule's window starts again, the cooldown is the rule's, and the group hears the decision. */
    decide: assign(({ context }, params: { rule: Rule }) => ({
      windows: { ...context.windows, [`${params.rule}Since`]: null },
      cooldownMs: AUTOSCALER_RULES[params.rule].cooldownMs,
      lastDecision: DECISION[params.rule],
    })),
    announce: emit(({ context, event }, params: { rule: Rule }) => ({
      type: 'decided' as const,
      decision: DECISION[params.rule],
      ...proposal(params.rule, context, event),
      cooldownMs: AUTOSCALER_RULES[params.rule].cooldownMs,
      demand: event.demand,
    })),
  },
  delays: {
    cooldown: ({ context }) => context.cooldownMs,
  },
}).createMachine({
  id: 'controlPlaneAutoscaler',
  context: ({ input }) => ({ ...input, windows: NO_WINDOWS, cooldownMs: 0, lastDecision: null }),
  initial: 'watching',
  states: {
    watching: {
      on: {
        MEASURED: [
          ...(['scaleOut', 'resizeUp', 'scaleIn', 'resizeDown'] as const).map((rule) => ({
            guard: { type: 'held' as const, params: { rule } },
            target: 'cooldown',
            actions: [
              { type: 'measure' as const },
              { type: 'announce' as const, params: { rule } },
              { type: 'decide' as const, params: { rule } },
            ],
          })),
          { actions: 'measure' },
        ],
      },
    },
    cooldown: {
      after: { cooldown: 'watching' },
      on: { MEASURED: { actions: 'measure' } },
    },
  },
});
