import type { CommandSpec } from '../engine/command-spec';
import type { Scenario } from '../input/scenario';
import { checkScenarioData } from './check';
// The command specs live on the domains; a simulation of the default scenario lists them.
import { createSimulation, scenarios } from './index';
import { type PathIssue, ScenarioError, type ScenarioIssue } from './issues';
import { schemaIssues } from './schema';
import { builtInSource, readScenarioSource, type ScenarioSource } from './source';

export { formatIssue, ScenarioError, type ScenarioIssue } from './issues';

/** The most scenario text a session may be started from (the server's body limit, the page's check). */
export const MAX_SCENARIO_TEXT_CHARS = 60_000;

export interface ParseScenarioOptions {
  /** The file's name in messages (default `scenario`). */
  readonly file?: string;
  /**
   * Reads the scenario an `extends:` names when it is not a built-in: `path` as written,
   * relative to `from` (the extending file). Undefined when there is no such file. Without it,
   * `extends:` may name built-ins only (sim-core does no I/O; the CLI passes one).
   */
  readonly readFile?: (path: string, from: string) => { readonly file: string; readonly text: string } | undefined;
}

export type ScenarioCheck =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly issues: readonly ScenarioIssue[] };

type Data = Record<string, unknown>;
const isRecord = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sections merged field by field under `extends:`; every other top-level field replaces the base's. */
const MERGED_SECTIONS = ['cluster', 'network', 'load'] as const;

let commandSpecs: readonly CommandSpec[] | undefined;
const specs = (): readonly CommandSpec[] => {
  commandSpecs ??= createSimulation().commands;
  return commandSpecs;
};

/**
 * Reads a scenario from YAML or JSON (JSON is YAML) and checks all of it before anything runs:
 * the schema, every timeline entry as the command it names, the `extends:` chain and the
 * network. Throws a `ScenarioError` listing every issue, each with its file, line and column.
 */
export function parseScenario(text: string, options: ParseScenarioOptions = {}): Scenario {
  const result = checkScenarioText(text, options);
  if (!result.ok) throw new ScenarioError(result.issues);
  return result.scenario;
}

/** `parseScenario` without the throw: the scenario, or every issue found. */
export function checkScenarioText(text: string, options: ParseScenarioOptions = {}): ScenarioCheck {
  const top = readScenarioSource(options.file ?? 'scenario', text);
  if (top.syntaxIssues.length > 0) return { ok: false, issues: top.syntaxIssues };
  return checkLayers(top, options);
}

/** Checks a scenario given as an object (a built-in): the same checks, placed by field. */
export function validateScenario(scenario: Scenario): readonly ScenarioIssue[] {
  const result = checkLayers(builtInSource(scenario.name, scenario), {});
  return result.ok ? [] : result.issues;
}

function checkLayers(top: ScenarioSource, options: ParseScenarioOptions): ScenarioCheck {
  const issues: ScenarioIssue[] = [];
  if (!isRecord(top.data)) {
    const issue = {
      path: [],
      problem: 'a scenario must be a mapping of fields',
      accepted: 'name:, start:, region:, cluster:, …',
    };
    return { ok: false, issues: [top.place(issue)] };
  }
  const layers = readChain(top, options, issues);
  for (const layer of layers) {
    for (const issue of schemaIssues(layer.data)) issues.push(layer.place(issue, issue.at));
  }
  const merged = mergeLayers(layers);
  if (typeof merged.name === 'string') {
    merged.title ??= merged.name;
    merged.summary ??= '';
  }
  // A field the schema already refused is not refused again in other words.
  const refused = new Set(issues.map((i) => i.field));
  for (const issue of checkScenarioData(merged, { specs: specs() })) {
    const placed = placeInLayers(layers, issue, issue.at);
    const parts = placed.field.split(/[.[]/);
    const said = parts.some((_, n) => refused.has(placed.field.slice(0, parts.slice(0, n + 1).join('.').length)));
    if (!said) issues.push(placed);
  }
  if (issues.length > 0) return { ok: false, issues: inFileOrder(layers, dedupe(issues)) };
  const scenario = merged as unknown as Scenario;
  try {
    // The last check is the real one: the simulation builds from it.
    createSimulation(scenario);
  } catch (error) {
    const issue = {
      path: [],
      problem: `the scenario cannot start: ${(error as Error).message}`,
      accepted: 'see docs/scenarios.md',
    };
    return { ok: false, issues: [top.place(issue)] };
  }
  return { ok: true, scenario };
}

/** The file, then the scenario it extends, and so on down to a built-in or a file without `extends:`. */
function readChain(top: ScenarioSource, options: ParseScenarioOptions, issues: ScenarioIssue[]): ScenarioSource[] {
  const layers = [top];
  let current = top;
  while (isRecord(current.data) && current.data.extends !== undefined) {
    const name = current.data.extends;
    if (typeof name !== 'string') break; // the schema says so
    const builtIn = scenarios[name];
    if (builtIn) {
      layers.push(builtInSource(name, builtIn));
      break;
    }
    const accepted = `a built-in scenario (${Object.keys(scenarios).join(', ')})${options.readFile ? ' or the path of a scenario file, relative to this one' : ''}`;
    const found = options.readFile?.(name, current.file);
    if (!found) {
      issues.push(current.place({ path: ['extends'], problem: `there is no scenario "${name}"`, accepted }));
      break;
    }
    const chain = layers.map((l) => l.file);
    if (chain.includes(found.file)) {
      issues.push(
        current.place({
          path: ['extends'],
          problem: `extends: makes a cycle: ${[...chain, found.file].join(' → ')}`,
          accepted: 'a chain that ends at a built-in scenario or at a file without extends:',
        }),
      );
      break;
    }
    const next = readScenarioSource(found.file, found.text);
    if (next.syntaxIssues.length > 0 || !isRecord(next.data)) {
      issues.push(...next.syntaxIssues);
      if (next.syntaxIssues.length === 0) {
        issues.push(
          next.place({ path: [], problem: 'a scenario must be a mapping of fields', accepted: 'name:, start:, …' }),
        );
      }
      break;
    }
    layers.push(next);
    current = next;
  }
  return layers;
}

/** From the base up: each file's fields replace the base's; cluster, network and load merge field by field. */
function mergeLayers(layers: readonly ScenarioSource[]): Data {
  let merged: Data = {};
  for (const layer of [...layers].reverse()) {
    const data = layer.data as Data;
    const next: Data = { ...merged, ...data };
    for (const section of MERGED_SECTIONS) {
      if (isRecord(merged[section]) && isRecord(data[section]))
        next[section] = { ...merged[section], ...data[section] };
    }
    delete next.extends;
    merged = next;
  }
  return merged;
}

/** An issue of the merged scenario, placed in the file that wrote the field (the top-most one). */
function placeInLayers(layers: readonly ScenarioSource[], issue: PathIssue, at?: 'key' | 'value'): ScenarioIssue {
  let best = layers[0] as ScenarioSource;
  let bestDepth = -1;
  for (const layer of layers) {
    const depth = layer.depth(issue.path);
    if (depth === issue.path.length) return layer.place(issue, at);
    if (depth > bestDepth && !layer.file.startsWith('built-in ')) {
      best = layer;
      bestDepth = depth;
    }
  }
  return best.place(issue, at);
}

function dedupe(issues: ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.file}|${issue.field}|${issue.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The extending file first, then its bases; in each, top to bottom. */
function inFileOrder(layers: readonly ScenarioSource[], issues: ScenarioIssue[]): ScenarioIssue[] {
  const rank = (file: string) => {
    const i = layers.findIndex((l) => l.file === file);
    return i < 0 ? layers.length : i;
  };
  return [...issues].sort((a, b) => rank(a.file) - rank(b.file) || a.line - b.line || a.column - b.column);
}
