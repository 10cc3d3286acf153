import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The repository is read without the documents its first engineers were handed: a citation
// names a public source or a doc in the repo, never a path or section outside the clone.
const outsideReference = /\.\.\/shared\b|\bDESIGN(\.md)? ?§|\bseed ?§|eks-facts|\bissue \d+ ?§|SUMMARY\.md/;

// These files name the patterns they forbid.
const patternFiles = new Set(['test/self-contained.test.ts', 'test/viz/words.test.ts']);

describe('the repository is self-contained', () => {
  it('no tracked file refers to documents outside the repo', () => {
    const files = execFileSync('git', ['ls-files'], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && !patternFiles.has(f) && /\.(ts|mjs|js|json|md|ya?ml|html|css|sh)$/.test(f));
    const offenders: string[] = [];
    for (const file of files) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (outsideReference.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
