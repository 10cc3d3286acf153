import { readFileSync } from 'node:fs';
import { createSimulation, parseScenario, scenarios } from '@eks-sim/sim-core';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  commandsSection,
  commandsSectionInDoc,
  generateScenarioSchema,
  SCENARIOS_DOC,
  SCHEMA_FILE,
} from './scenario-schema.gen';

const published = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));

describe('docs/scenario.schema.json', () => {
  it('is what the TypeScript types and the command specs generate (run `pnpm schema` after changing either)', () => {
    expect(published).toEqual(generateScenarioSchema());
  }, 120_000);

  it('every built-in scenario is valid against it', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(published);
    for (const scenario of Object.values(scenarios)) {
      expect(validate(scenario) ? [] : validate.errors, scenario.name).toEqual([]);
    }
  });

  it('refuses an unknown command type and a command field it does not know, as an editor would', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(published);
    const base = { name: 'x', start: '2024-03-10', region: 'ap-northeast-2', cluster: { name: 'c', version: '1.28' } };
    expect(validate({ ...base, timeline: [{ at: '1m', command: { type: 'fault.az', az: 'apne2-az1' } }] })).toBe(true);
    expect(validate({ ...base, timeline: [{ at: '1m', command: { type: 'no.such.command' } }] })).toBe(false);
    expect(validate({ ...base, timeline: [{ at: '1m', command: { type: 'fault.az', zone: 'a' } }] })).toBe(false);
    expect(validate({ extends: 'seed-week1' })).toBe(true);
    expect(validate({ title: 'no name' })).toBe(false);
  });
});

describe('docs/scenarios.md', () => {
  it('lists the timeline commands exactly as their specs define them (run `pnpm schema` after changing a spec)', () => {
    expect(commandsSectionInDoc()).toBe(commandsSection());
  });
});

describe('the complete example of docs/scenarios.md', () => {
  it('is a valid scenario that runs', () => {
    const doc = readFileSync(SCENARIOS_DOC, 'utf8');
    const example = /<!-- example:[^>]*-->\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const scenario = parseScenario(example as string, { file: 'docs/scenarios.md example' });
    expect(scenario).toMatchObject({ name: 'friday-class', timeline: [{ at: '40m' }, { at: '1h40m' }] });
    const sim = createSimulation(scenario);
    sim.advance(2 * 3_600_000);
    expect(sim.events().filter((e) => e.type === 'command.applied')).toHaveLength(2);
  });
});
