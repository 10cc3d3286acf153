import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The copy-paste detector (jscpd, configured in .jscpd.json): no block of code is shared
 * between the server and sim-core. What the server answers comes from sim-core's answer
 * layer; a block copied across instead is one fact written twice, and the copies drift apart.
 */
const ROOT = resolve(import.meta.dirname, '..');
const JSCPD = join(ROOT, 'node_modules', '.bin', 'jscpd');

interface Clone {
  readonly firstFile: { readonly name: string; readonly start: number; readonly end: number };
  readonly secondFile: { readonly name: string; readonly start: number; readonly end: number };
  readonly tokens: number;
}

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** Runs jscpd with the project's configuration in `cwd`; every clone it reports. */
function clones(cwd: string): Clone[] {
  const out = mkdtempSync(join(tmpdir(), 'eks-sim-jscpd-'));
  scratch.push(out);
  const run = spawnSync(JSCPD, ['-c', '.jscpd.json', '-r', 'json', '-o', out, '--no-colors'], {
    cwd,
    encoding: 'utf8',
  });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  return (JSON.parse(readFileSync(join(out, 'jscpd-report.json'), 'utf8')) as { duplicates: Clone[] }).duplicates;
}

const packageOf = (file: string) => /packages\/(server|sim-core)\//.exec(file.replaceAll('\\', '/'))?.[1];

/** Clones with one copy in the server and the other in sim-core, as `file:lines ↔ file:lines`. */
function acrossPackages(found: readonly Clone[], root: string): string[] {
  return found
    .filter((c) => packageOf(c.firstFile.name) !== packageOf(c.secondFile.name))
    .map(
      (c) =>
        `${c.firstFile.name.replace(`${root}/`, '')}:${c.firstFile.start}-${c.firstFile.end} ↔ ${c.secondFile.name.replace(`${root}/`, '')}:${c.secondFile.start}-${c.secondFile.end} (${c.tokens} tokens)`,
    );
}

describe('copy-paste detector (jscpd)', () => {
  it('finds no block shared between packages/server and packages/sim-core', () => {
    expect(acrossPackages(clones(ROOT), ROOT)).toEqual([]);
  });

  it('would report a block copied from sim-core into the server', () => {
    const root = mkdtempSync(join(tmpdir(), 'eks-sim-cpd-'));
    scratch.push(root);
    copyFileSync(join(ROOT, '.jscpd.json'), join(root, '.jscpd.json'));
    const block = readFileSync(join(ROOT, 'packages/sim-core/src/answers/kubernetes/status.ts'), 'utf8');
    for (const pkg of ['server', 'sim-core']) {
      mkdirSync(join(root, 'packages', pkg, 'src'), { recursive: true });
      writeFileSync(join(root, 'packages', pkg, 'src', 'status.ts'), block);
    }
    expect(acrossPackages(clones(root), root)).not.toEqual([]);
  });
});
