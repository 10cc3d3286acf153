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

  it('the tour runs as written after the set-up: no bare pnpm, only npx and the pinned pnpm', () => {
    const version = rootPackage.engines.pnpm;
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    const lines = blocks.flatMap((b) => b.split('\n')).filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines)
      expect(line).toMatch(new RegExp(`^npx (eks-sim |-y pnpm@${version.replace(/\./g, '\\.')} )`));
    // Nor in the prose: every `pnpm …` a reader might copy is the pinned one.
    const spans = [...readme.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] as string);
    expect(spans).toContain('npx eks-sim --help');
    for (const span of spans.filter((text) => /\bpnpm /.test(text))) expect(span).toContain(`pnpm@${version}`);
  });
});
