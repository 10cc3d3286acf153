/** Shared bits of the draw functions: the selection type, transitions that tests can turn off. */
import type { BaseType, Selection } from 'd3';
// Adds selection.transition(); imported for that side effect, which tree-shaking would drop via `d3`.
import 'd3-transition';
import { bound } from './text-fit';

export type Layer = Selection<SVGGElement, unknown, null, undefined>;

export interface DrawOptions {
  /** Transition length in ms; 0 draws the final picture at once (tests, reduced motion, fast play). */
  readonly durationMs: number;
  /** Packets travelling along the paths that get through (off in tests and for reduced motion). */
  readonly packets?: boolean;
}

export const noAnimation: DrawOptions = { durationMs: 0, packets: false };

/** The layer's child `<g class=name>`, made on first use, so each draw function owns one group. */
export function group(parent: Layer, name: string): Layer {
  const existing = parent.select<SVGGElement>(`:scope > g.${name}`);
  if (!existing.empty()) return existing as unknown as Layer;
  return parent.append('g').attr('class', name) as unknown as Layer;
}

/** A transition when animating, else the selection itself: both accept `.attr()` chains. */
export function animated<E extends BaseType, D>(
  selection: Selection<E, D, BaseType, unknown>,
  options: DrawOptions,
): Selection<E, D, BaseType, unknown> {
  if (options.durationMs <= 0) return selection;
  return selection.transition().duration(options.durationMs) as unknown as Selection<E, D, BaseType, unknown>;
}

/**
 * Sets each text's words, size and the width it must stay within (text-fit.ts shortens it
 * after drawing if the browser's font makes it wider).
 */
export function boundedText<D>(
  selection: Selection<SVGTextElement, D, BaseType, unknown>,
  fontSize: number,
  text: (d: D) => string,
  maxWidth: (d: D) => number,
): void {
  selection.attr('font-size', fontSize).each(function (d) {
    bound(this, text(d), maxWidth(d));
  });
}

export function percent(fraction: number | null): string {
  return fraction === null ? '–' : `${Math.round(fraction * 100)}%`;
}
