/**
 * Model-based property tests of the managed control plane: random load changes, compound
 * faults and recoveries over up to a simulated week; after every step no invariant (Raft's
 * safety properties included) is violated; the control plane heals once every AZ is back;
 * the client history is linearizable; the same (scenario, seed, commands) gives the same
 * event log. The property lives in the campaign module, which `eks-sim campaign` runs on
 * every core.
 *
 * A failure prints its seed, the shrunk schedule and the command that replays it
 * (CP_PROPERTY_SEED, CP_PROPERTY_PATH and CP_PROPERTY_REPLAY; CP_PROPERTY_TRACE=1 adds the
 * exact commands and waits). More runs: CP_PROPERTY_RUNS=5000.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  controlPlaneProperty,
  formatViolation,
  PROPERTY_SCENARIOS,
  violationOf,
} from '../../packages/server/src/cli/campaign/control-plane-property';

function replayOptions(): { seed?: number; path?: string } {
  const seed = process.env.CP_PROPERTY_SEED;
  const path = process.env.CP_PROPERTY_PATH;
  return { ...(seed ? { seed: Number(seed) } : {}), ...(path ? { path } : {}) };
}

describe('control plane under random load, compound faults and recoveries', () => {
  for (const [name, { title }] of Object.entries(PROPERTY_SCENARIOS)) {
    it(`${title}: no invariant breaks after any step, the history is linearizable, and a replay gives the same event log`, () => {
      const details = fc.check(controlPlaneProperty(name, { replayPath: process.env.CP_PROPERTY_REPLAY }), {
        numRuns: Number(process.env.CP_PROPERTY_RUNS ?? 25),
        ...replayOptions(),
      });
      const violation = violationOf(name, details);
      if (violation) throw new Error(`the control-plane property failed: ${formatViolation(violation)}`);
    });
  }
});
