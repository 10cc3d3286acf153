/**
 * Seeded pseudo-random numbers: sfc32 (Chris Doty-Humphrey's "small fast chaotic" generator,
 * as used by PractRand), seeded through splitmix32. One root seed per simulation; each
 * component draws from its own stream, split off by name, so that adding a component (or a
 * draw in one component) never shifts another component's draws.
 */
export interface Prng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** Uniform float in [min, max). */
  between(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

/** FNV-1a over UTF-16 code units: a stable 32-bit hash of a component name. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** sfc32's four words: all a stream needs to continue where it was. */
export type PrngState = [number, number, number, number];

/** A stream whose position can be saved and put back (the engine's streams, for save/restore). */
export interface PrngStream extends Prng {
  state(): PrngState;
  setState(state: PrngState): void;
}

export function createPrng(seed: number): PrngStream {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  // Warm up: the first outputs of sfc32 are weakly mixed.
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    state: () => [a, b, c, d],
    setState: (state) => {
      [a, b, c, d] = state;
    },
  };
}

/** The stream of one named component under a root seed. */
export function splitPrng(rootSeed: number, component: string): PrngStream {
  return createPrng((rootSeed ^ hashName(component)) >>> 0);
}
