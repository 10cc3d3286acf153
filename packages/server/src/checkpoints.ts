import { restoreSimulation, type SavedSimulation, type SimEvent, type Simulation } from '@eks-sim/sim-core';

/** Objects this deep in a save are cut into parts of their own; deeper values are one part each. */
const SPLIT_DEPTH = 4;
/**
 * Long arrays (the load's one-minute series, a ring that drops its oldest points) are kept in
 * blocks of about this many elements, cut where an element's hash says so: the cuts move with
 * the elements, so a block survives the ring's shift and is shared (content-defined chunking).
 */
const BLOCK = 64;

/** FNV-1a of a string: cheap and stable, enough to place block cuts. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function blocksOf(items: readonly unknown[]): unknown[][] {
  const blocks: unknown[][] = [];
  let current: unknown[] = [];
  for (const item of items) {
    current.push(item);
    if (hashOf(JSON.stringify(item)) % BLOCK === 0) {
      blocks.push(current);
      current = [];
    }
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

/** One piece of a save: where it goes, and its JSON (shared with every checkpoint holding the same). */
interface Part {
  readonly path: readonly string[];
  /** Set for a block of a long array: the array at `path` is the blocks in order. */
  readonly block?: true;
  readonly json: string;
}

/**
 * The simulation at one moment of a session's line: `sim.save()` cut into parts, without the
 * event log (append-only, so the line's log cut at `logLength` is this moment's). A part
 * equal to one an earlier checkpoint holds is the same string, so a checkpoint costs about
 * what changed since the one before (`bytes`), not a whole save.
 */
export interface Checkpoint {
  readonly atMs: number;
  /** How many of the line's entries the simulation had done. */
  readonly cursor: number;
  readonly logLength: number;
  readonly parts: readonly Part[];
  /** Bytes of parts this checkpoint added (what it costs beyond the ones before it). */
  readonly bytes: number;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checkpoints kept on one line at most: past it, every other older one goes (seeks there redo a little more). */
const MAX_CHECKPOINTS = 400;

/** A part's place; a block is known by its content, wherever it now sits in its array. */
const partKey = (path: readonly string[], blockJson?: string) =>
  blockJson === undefined ? path.join('\u0000') : `${path.join('\u0000')}#${blockJson}`;

/** A session's checkpoints; each shares the parts that did not change with the one taken before it. */
export class CheckpointStore {
  private list: Checkpoint[] = [];
  /** The newest checkpoint's parts by place, so the next one can reuse equal strings. */
  private previous = new Map<string, string>();

  get all(): readonly Checkpoint[] {
    return this.list;
  }

  /**
   * Checkpoints `sim` (which has done `cursor` entries of the line); null when the simulation
   * cannot be saved at this moment (a pending closure), so the one before serves instead.
   */
  take(sim: Simulation, cursor: number): Checkpoint | null {
    let saved: SavedSimulation;
    try {
      saved = sim.save();
    } catch {
      return null;
    }
    const parts: Part[] = [];
    const current = new Map<string, string>();
    let bytes = 0;
    const add = (path: readonly string[], value: unknown, block?: true) => {
      const fresh = JSON.stringify(value);
      const key = partKey(path, block ? fresh : undefined);
      const before = this.previous.get(key);
      const json = before === fresh ? before : fresh;
      if (json !== before) bytes += json.length;
      current.set(key, json);
      parts.push(block ? { path, block, json } : { path, json });
    };
    const split = (value: unknown, path: readonly string[], depth: number) => {
      if (isPlainObject(value) && depth < SPLIT_DEPTH && Object.keys(value).length > 0) {
        for (const [key, child] of Object.entries(value)) {
          if (child !== undefined) split(child, [...path, key], depth + 1);
        }
      } else if (Array.isArray(value) && value.length > BLOCK) {
        for (const block of blocksOf(value)) add(path, block, true);
      } else {
        add(path, value);
      }
    };
    const { log, ...engine } = saved.engine;
    split({ ...saved, engine }, [], 0);
    const checkpoint: Checkpoint = { atMs: sim.now(), cursor, logLength: log.length, parts, bytes };
    // Kept in line order: a later checkpoint at the same place replaces the earlier.
    this.list = this.list.filter((c) => c.cursor < cursor || (c.cursor === cursor && c.atMs < checkpoint.atMs));
    this.list.push(checkpoint);
    this.previous = current;
    if (this.list.length > MAX_CHECKPOINTS) {
      const recent = this.list.slice(-MAX_CHECKPOINTS / 4);
      const older = this.list.slice(0, -MAX_CHECKPOINTS / 4).filter((_, i) => i % 2 === 0);
      this.list = [...older, ...recent];
    }
    return checkpoint;
  }

  /** The newest checkpoint at or before `atMs` with at most `cursor` entries done whose log `log` can supply. */
  nearest(atMs: number, cursor: number, logLength: number): Checkpoint | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const c = this.list[i] as Checkpoint;
      if (c.atMs <= atMs && c.cursor <= cursor && c.logLength <= logLength) return c;
    }
    return undefined;
  }

  /** Forgets the checkpoints past `cursor` entries (the line was cut there). */
  cut(cursor: number, atMs: number): void {
    this.list = this.list.filter((c) => c.cursor <= cursor && c.atMs <= atMs);
  }

  /** A store holding this one's checkpoints up to `cursor` entries and `atMs` (a fork's past): parts are shared, not copied. */
  until(cursor: number, atMs: number): CheckpointStore {
    const store = new CheckpointStore();
    store.list = this.list.filter((c) => c.cursor <= cursor && c.atMs <= atMs);
    return store;
  }

  /** The checkpoint as a whole save again, its log cut from the line's `log`. */
  static saveOf(checkpoint: Checkpoint, log: readonly SimEvent[]): SavedSimulation {
    const root: Record<string, unknown> = {};
    for (const part of checkpoint.parts) {
      let node = root;
      for (const key of part.path.slice(0, -1)) {
        if (!isPlainObject(node[key])) node[key] = {};
        node = node[key] as Record<string, unknown>;
      }
      const last = part.path.at(-1) as string;
      const value = JSON.parse(part.json) as unknown;
      if (part.block) node[last] = [...((node[last] as unknown[] | undefined) ?? []), ...(value as unknown[])];
      else node[last] = value;
    }
    const engine = root.engine as Record<string, unknown>;
    root.engine = { ...engine, log: log.slice(0, checkpoint.logLength) };
    return root as unknown as SavedSimulation;
  }

  /** A running simulation from a checkpoint (throws a SaveError if it cannot be restored). */
  static restore(checkpoint: Checkpoint, log: readonly SimEvent[]): Simulation {
    return restoreSimulation(CheckpointStore.saveOf(checkpoint, log));
  }
}
