import { statSync } from 'node:fs';
import { DEFAULT_SCENARIO, formatIssue, type Scenario, scenarios } from '@eks-sim/sim-core';
import { checkScenarioFile } from './scenario';
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
  const result = checkScenarioFile(name);
  if (!result.ok) {
    const count = result.issues.length === 1 ? '1 error' : `${result.issues.length} errors`;
    throw new UsageError(`${name}: ${count}; nothing was run\n${result.issues.map(formatIssue).join('\n')}`);
  }
  return result.scenario;
}

/** `--seed N`: a non-negative 32-bit integer. */
export function parseSeedArg(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) {
    throw new UsageError(`--seed must be an integer from 0 to 4294967295 (got "${value}")`);
  }
  return Number(value);
}
