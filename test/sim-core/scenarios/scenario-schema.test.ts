import { readFileSync } from 'node:fs';
import { scenarios } from '@eks-sim/sim-core';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { generateScenarioSchema, SCHEMA_FILE } from './scenario-schema.gen';

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
