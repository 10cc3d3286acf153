/**
 * Placing annotations (a refusal's ✕ and its words) where they cover nothing: candidates are
 * tried in order of preference and the first that overlaps no obstacle and stays in bounds
 * wins. Pure geometry; each placed box becomes an obstacle for the next.
 */
import { type Box, inside, intersects } from './layout';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export class Placer {
  private readonly taken: Box[];

  /**
   * `bounds`: the areas an annotation may use; `containers`: frames it must be wholly inside or
   * wholly outside of (never across a border).
   */
  constructor(
    obstacles: readonly Box[],
    private readonly bounds: readonly Box[],
    private readonly containers: readonly Box[] = [],
  ) {
    this.taken = [...obstacles];
  }

  fits(box: Box): boolean {
    return (
      this.bounds.some((b) => inside(box, b)) &&
      this.containers.every((c) => inside(box, c) || !intersects(box, c)) &&
      !this.taken.some((t) => intersects(box, t))
    );
  }

  /** The first candidate that fits, now taken; undefined when none does. */
  take(candidates: Iterable<Box>): Box | undefined {
    for (const box of candidates) {
      if (this.fits(box)) {
        this.taken.push(box);
        return box;
      }
    }
    return undefined;
  }
}

/** Boxes of `w`×`h` centred on points along `points` (a polyline), every `step`, walking from `from` back to the start. */
export function* alongPath(
  points: readonly Point[],
  fromIndex: number,
  w: number,
  h: number,
  step = 6,
): Generator<Box> {
  for (let i = Math.min(fromIndex, points.length - 1); i > 0; i--) {
    const a = points[i]!;
    const b = points[i - 1]!;
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    for (let d = 0; d <= length; d += step) {
      const t = length ? d / length : 0;
      yield { x: a.x + (b.x - a.x) * t - w / 2, y: a.y + (b.y - a.y) * t - h / 2, w, h };
    }
  }
}

/** Boxes of `w`×`h` on rings around `centre`, nearest first, up to `radius`. */
export function* around(centre: Point, w: number, h: number, radius = 160, step = 8): Generator<Box> {
  for (let r = step; r <= radius; r += step) {
    const n = Math.max(8, Math.round((2 * Math.PI * r) / step));
    for (let k = 0; k < n; k++) {
      const angle = (k / n) * 2 * Math.PI + Math.PI / 2;
      yield { x: centre.x + r * Math.cos(angle) - w / 2, y: centre.y + r * Math.sin(angle) - h / 2, w, h };
    }
  }
}

/** Where a label of `w`×`h` may sit next to `mark`: right, left, below, above, then further out. */
export function* beside(mark: Box, w: number, h: number): Generator<Box> {
  const cy = mark.y + mark.h / 2 - h / 2;
  for (const gap of [4, 12, 24]) {
    yield { x: mark.x + mark.w + gap, y: cy, w, h };
    yield { x: mark.x - gap - w, y: cy, w, h };
    yield { x: mark.x + mark.w / 2 - w / 2, y: mark.y + mark.h + gap, w, h };
    yield { x: mark.x + mark.w / 2 - w / 2, y: mark.y - gap - h, w, h };
    yield { x: mark.x, y: mark.y + mark.h + gap, w, h };
    yield { x: mark.x + mark.w - w, y: mark.y + mark.h + gap, w, h };
    yield { x: mark.x, y: mark.y - gap - h, w, h };
    yield { x: mark.x + mark.w - w, y: mark.y - gap - h, w, h };
  }
}
