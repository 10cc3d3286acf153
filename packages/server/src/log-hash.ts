import { createHash } from 'node:crypto';
import type { SimEvent } from '@eks-sim/sim-core';

/** sha256 (hex) of the event log as JSON lines: equal hashes mean equal runs. */
export function logHash(events: readonly SimEvent[]): string {
  const hash = createHash('sha256');
  for (const event of events) hash.update(`${JSON.stringify(event)}\n`);
  return hash.digest('hex');
}
