import type { EngineSave } from './engine';
import { SaveError } from './save-error';

/** What `sim.save()` writes at the top (a save of another format or version is refused). */
export const SAVE_FORMAT = 'eks-sim/save';
export const SAVE_VERSION = 1;

/** The shape checks a restore runs before it builds anything; each failure names the field. */
export function expectObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SaveError(`${where} must be a JSON object (got ${describe(value)})`);
  }
  return value as Record<string, unknown>;
}

export function expectArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new SaveError(`${where} must be a JSON array (got ${describe(value)})`);
  return value;
}

export function expectNumber(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new SaveError(`${where} must be a finite number (got ${describe(value)})`);
  }
  return value;
}

export function expectString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new SaveError(`${where} must be a string (got ${describe(value)})`);
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : JSON.stringify(value);
}

/** Checks the engine's part of a save (the queue, the actors, the streams, the log) and types it. */
export function readEngineSave(value: unknown): EngineSave {
  const e = expectObject(value, 'engine');
  expectNumber(e.nowMs, 'engine.nowMs');
  expectNumber(e.nextOrder, 'engine.nextOrder');
  for (const [i, raw] of expectArray(e.queue, 'engine.queue').entries()) {
    const entry = expectObject(raw, `engine.queue[${i}]`);
    expectNumber(entry.atMs, `engine.queue[${i}].atMs`);
    expectNumber(entry.order, `engine.queue[${i}].order`);
    if (entry.kind === 'timer') expectString(entry.name, `engine.queue[${i}].name`);
    else if (entry.kind === 'xstate') {
      expectString(entry.actor, `engine.queue[${i}].actor`);
      expectArray(entry.source, `engine.queue[${i}].source`);
      expectArray(entry.target, `engine.queue[${i}].target`);
      expectObject(entry.event, `engine.queue[${i}].event`);
    } else throw new SaveError(`engine.queue[${i}].kind must be "timer" or "xstate" (got ${describe(entry.kind)})`);
  }
  for (const [name, state] of Object.entries(expectObject(e.rng, 'engine.rng'))) {
    const words = expectArray(state, `engine.rng.${name}`);
    if (words.length !== 4 || !words.every((w) => Number.isInteger(w))) {
      throw new SaveError(`engine.rng.${name} must be four integers (a random stream's state)`);
    }
  }
  for (const [i, raw] of expectArray(e.actors, 'engine.actors').entries()) {
    const actor = expectObject(raw, `engine.actors[${i}]`);
    expectString(actor.key, `engine.actors[${i}].key`);
    expectObject(actor.snapshot, `engine.actors[${i}].snapshot`);
  }
  for (const [i, raw] of expectArray(e.log, 'engine.log').entries()) {
    if (expectObject(raw, `engine.log[${i}]`).seq !== i + 1)
      throw new SaveError(`engine.log[${i}].seq must be ${i + 1}`);
  }
  return e as unknown as EngineSave;
}
