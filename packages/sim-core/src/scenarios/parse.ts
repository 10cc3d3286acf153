import { parse as parseYaml, YAMLParseError } from 'yaml';
import { parseDate } from '../engine/duration';
import { scenarios } from './index';
import type { Scenario } from './types';

/** A scenario file that cannot be used; the message names the field and what to do. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

const TOP_LEVEL_KEYS = new Set([
  'extends',
  'name',
  'title',
  'summary',
  'start',
  'region',
  'seed',
  'duration',
  'cluster',
  'network',
  'load',
  'timeline',
  'lesson',
]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a scenario from YAML or JSON (JSON is YAML). `extends: <built-in name>` starts from
 * that scenario and overrides its top-level keys (and `cluster` field by field). Throws a
 * `ScenarioError` naming the problem; never returns a half-checked scenario.
 */
export function parseScenario(text: string): Scenario {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
    throw new ScenarioError(`scenario is not valid YAML or JSON: ${detail}`);
  }
  if (!isRecord(doc)) throw new ScenarioError('scenario must be a mapping (an object) at the top level');
  for (const key of Object.keys(doc)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      throw new ScenarioError(`scenario: unknown key "${key}" (known keys: ${[...TOP_LEVEL_KEYS].join(', ')})`);
    }
  }
  let merged: Record<string, unknown> = { ...doc };
  if (doc.extends !== undefined) {
    const base = typeof doc.extends === 'string' ? scenarios[doc.extends] : undefined;
    if (!base) {
      throw new ScenarioError(
        `scenario: "extends" must name a built-in scenario (one of ${Object.keys(scenarios).join(', ')}), got ${JSON.stringify(doc.extends)}`,
      );
    }
    const cluster = isRecord(doc.cluster) ? { ...base.cluster, ...doc.cluster } : base.cluster;
    merged = { ...base, ...doc, cluster };
    delete merged.extends;
  }
  return checkScenario(merged);
}

function need(doc: Record<string, unknown>, key: string, kind: 'string' | 'number'): void {
  if (typeof doc[key] !== kind) {
    throw new ScenarioError(`scenario: "${key}" is required and must be a ${kind} (got ${JSON.stringify(doc[key])})`);
  }
}

function checkScenario(doc: Record<string, unknown>): Scenario {
  need(doc, 'name', 'string');
  if (doc.title === undefined) doc.title = doc.name;
  if (doc.summary === undefined) doc.summary = '';
  need(doc, 'title', 'string');
  need(doc, 'start', 'string');
  need(doc, 'region', 'string');
  if (parseDate(String(doc.start)) === undefined) {
    throw new ScenarioError(`scenario: "start" must be an ISO date such as 2024-03-10T09:00:00Z (got "${doc.start}")`);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(String(doc.region))) {
    throw new ScenarioError(
      `scenario: "region" must be an AWS region code such as ap-northeast-2 (got "${doc.region}")`,
    );
  }
  if (doc.seed !== undefined && !(Number.isInteger(doc.seed) && (doc.seed as number) >= 0)) {
    throw new ScenarioError(`scenario: "seed" must be a non-negative integer (got ${JSON.stringify(doc.seed)})`);
  }
  const cluster = doc.cluster;
  if (!isRecord(cluster)) throw new ScenarioError('scenario: "cluster" is required (at least name and version)');
  if (typeof cluster.name !== 'string' || !/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(cluster.name)) {
    throw new ScenarioError(
      `scenario: "cluster.name" must start with a letter or digit and hold only letters, digits, - and _ (got ${JSON.stringify(cluster.name)})`,
    );
  }
  if (typeof cluster.version !== 'string' || !/^1\.\d+$/.test(cluster.version)) {
    throw new ScenarioError(
      `scenario: "cluster.version" must be a minor version such as "1.28" (got ${JSON.stringify(cluster.version)})`,
    );
  }
  if (doc.timeline !== undefined) {
    if (!Array.isArray(doc.timeline)) throw new ScenarioError('scenario: "timeline" must be a list of { at, command }');
    doc.timeline.forEach((entry, i) => {
      if (
        !isRecord(entry) ||
        typeof entry.at !== 'string' ||
        !isRecord(entry.command) ||
        typeof entry.command.type !== 'string'
      ) {
        throw new ScenarioError(
          `scenario: timeline[${i}] must be { at: "1h30m" or an ISO date, command: { type: ... } }`,
        );
      }
    });
  }
  if (doc.lesson !== undefined && (!isRecord(doc.lesson) || !Array.isArray(doc.lesson.steps))) {
    throw new ScenarioError('scenario: "lesson" must be { title, steps: [...] }');
  }
  return doc as unknown as Scenario;
}
