import type { Scenario } from '../input/scenario';
import { Simulation, type SimulationOptions } from '../simulation';
import { azOutage } from './az-outage';
import { loadSpike } from './load-spike';
import { privateLockout } from './private-lockout';
import { seedLab } from './seed-lab';
import { seedWeek1 } from './seed-week1';
import { versionEol } from './version-eol';

/** Built-in scenarios by name (docs/scenarios.md). `seed-week1` is the default. */
export const scenarios: Record<string, Scenario> = {
  [seedWeek1.name]: seedWeek1,
  [seedLab.name]: seedLab,
  [versionEol.name]: versionEol,
  [privateLockout.name]: privateLockout,
  [azOutage.name]: azOutage,
  [loadSpike.name]: loadSpike,
};

export const DEFAULT_SCENARIO = seedWeek1.name;

/** A new simulation of `scenario` (default: the built-in seed-week1). */
export function createSimulation(scenario?: Scenario, opts: SimulationOptions = {}): Simulation {
  return new Simulation(scenario ?? (scenarios[DEFAULT_SCENARIO] as Scenario), opts);
}
