import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli';

const readme = readFileSync(`${REPO_ROOT}README.md`, 'utf8');
const rootPackage = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as { engines: { pnpm: string } };

describe('README', () => {
  it('starts with exactly two set-up commands: install-and-start, then install-and-test', () => {
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] as string).trim());
    expect(blocks[0]).toMatch(/install && .* start$/);
    expect(blocks[1]).toMatch(/install --frozen-lockfile && .* test$/);
    const firstHeading = readme.indexOf('\n## ');
    expect(readme.indexOf(blocks[1] as string)).toBeLessThan(firstHeading);
  });

  it('pins the same pnpm the package.json pins', () => {
    const version = rootPackage.engines.pnpm;
    for (const m of readme.slice(0, readme.indexOf('\n## ')).matchAll(/pnpm@([\d.]+)/g)) {
      expect(m[1]).toBe(version);
    }
  });
});
