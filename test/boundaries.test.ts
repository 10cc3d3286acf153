import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli';

const require = createRequire(import.meta.url);
const config = require('../.dependency-cruiser.cjs') as {
  forbidden: readonly { name: string; from: { path?: string } }[];
};
const layerRules = config.forbidden.filter((rule) => rule.name.startsWith('sim-core-layer-'));
const DEPCRUISE = `${REPO_ROOT}node_modules/dependency-cruiser/bin/dependency-cruise.mjs`;

describe('import boundaries (.dependency-cruiser.cjs)', () => {
  it('every folder and top-level file of sim-core has its place in the layer order', () => {
    const entries = readdirSync(`${REPO_ROOT}packages/sim-core/src`).filter((name) => !name.endsWith('.md'));
    // index.ts is the top layer: nothing is above it to forbid.
    const unplaced = entries.filter((name) => {
      if (name === 'index.ts') return false;
      const path = `packages/sim-core/src/${name}${name.endsWith('.ts') ? '' : '/any.ts'}`;
      return !layerRules.some((rule) => new RegExp(rule.from.path as string).test(path));
    });
    expect(unplaced).toEqual([]);
  });

  it('has no import circle and no import against the layers, in any package or test', () => {
    const run = spawnSync(process.execPath, [DEPCRUISE, 'packages', 'test', '--output-type', 'err'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    const report = `${run.stdout}${run.stderr}`;
    expect(report).toContain('no dependency violations found');
    expect(run.status).toBe(0);
  }, 180_000);
});

/** Every source file of sim-core, relative to the repo root. */
function simCoreSources(dir = 'packages/sim-core/src'): string[] {
  return readdirSync(`${REPO_ROOT}${dir}`, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return simCoreSources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('file size', () => {
  // A file past this has more than one concern to split along.
  const MAX_LINES = 500;

  it(`no sim-core source file is over ${MAX_LINES} lines`, () => {
    const tooLong = simCoreSources()
      .map((path) => ({ path, lines: readFileSync(`${REPO_ROOT}${path}`, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.path}: ${f.lines} lines`);
    expect(tooLong).toEqual([]);
  });
});
