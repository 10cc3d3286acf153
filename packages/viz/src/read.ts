/**
 * Defensive readers for the snapshot. The snapshot grows as domains land (docs/architecture.md), so the
 * viz reads fields by name and draws what is there instead of trusting a shape it cannot see.
 */

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown): Json {
  return isRecord(value) ? value : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function records(value: unknown): Json[] {
  return asArray(value).filter(isRecord);
}

/** The first of `keys` that holds a string. */
export function str(object: unknown, ...keys: string[]): string | null {
  const record = asRecord(object);
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'string') return value;
  }
  return null;
}

/** The first of `keys` that holds a finite number. */
export function num(object: unknown, ...keys: string[]): number | null {
  const record = asRecord(object);
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}

export function bool(object: unknown, ...keys: string[]): boolean | null {
  const record = asRecord(object);
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'boolean') return value;
  }
  return null;
}

export function strings(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

/** Follows a dotted path (`load.totals.p99Ms`) through plain objects. */
export function at(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const key of path.split('.')) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** The first path that holds a finite number. */
export function numAt(object: unknown, ...paths: string[]): number | null {
  for (const path of paths) {
    const value = at(object, path);
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}
