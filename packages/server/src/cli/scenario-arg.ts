import { readFileSync, statSync } from 'node:fs';
import { DEFAULT_SCENARIO, parseScenario, type Scenario, ScenarioError, scenarios } from '@eks-sim/sim-core';
import { UsageError } from './usage-error';

/** `--scenario NAME|FILE`: a built-in scenario by name, or a YAML/JSON file by path. */
export function loadScenarioArg(value: string | undefined): Scenario {
  const name = value ?? DEFAULT_SCENARIO;
  const builtIn = scenarios[name];
  if (builtIn) return builtIn;
  let isFile = false;
  try {
    isFile = statSync(name).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) {
    throw new UsageError(
      `unknown scenario "${name}": not a built-in (${Object.keys(scenarios).join(', ')}) and not a readable file`,
    );
  }
  try {
    return parseScenario(readFileSync(name, 'utf8'));
  } catch (error) {
    if (error instanceof ScenarioError) throw new UsageError(`${name}: ${error.message}`);
    throw error;
  }
}

/** `--seed N`: a non-negative 32-bit integer. */
export function parseSeedArg(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) {
    throw new UsageError(`--seed must be an integer from 0 to 4294967295 (got "${value}")`);
  }
  return Number(value);
}
