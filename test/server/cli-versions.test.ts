import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';

describe('eks-sim versions', () => {
  it('--at 2024-03-10 --json shows 1.28 in standard support', () => {
    const { code, stdout } = runCli(['versions', '--at', '2024-03-10', '--json']);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Record<string, string>[];
    expect(rows.find((r) => r.version === '1.28')).toMatchObject({
      eksRelease: '2023-09-26',
      endOfStandard: '2024-11-26',
      endOfExtended: '2025-11-26',
      upstreamRelease: '2023-08-15',
      phase: 'standard',
    });
    for (const row of rows)
      expect(Object.keys(row)).toEqual(
        expect.arrayContaining(['version', 'eksRelease', 'endOfStandard', 'endOfExtended', 'phase', 'source']),
      );
  });

  it('--at 2025-06-01 --json shows 1.28 in extended support', () => {
    const rows = JSON.parse(runCli(['versions', '--at', '2025-06-01', '--json']).stdout) as Record<string, string>[];
    expect(rows.find((r) => r.version === '1.28')?.phase).toBe('extended');
    expect(rows.find((r) => r.version === '1.23')?.phase).toBe('unsupported');
    expect(rows.find((r) => r.version === '1.36')?.phase).toBe('not-yet-released');
  });

  it('defaults to the default scenario’s start date and prints a table', () => {
    const { code, stdout } = runCli(['versions']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/PHASE ON 2024-03-10/);
    expect(stdout).toMatch(/^1\.28\s+2023-08-15\s+2023-09-26\s+2024-11-26\s+2025-11-26\s+standard$/m);
  });

  it('answers a bad date or version with one line on stderr and exit code 2', () => {
    for (const args of [['--at', '2025-02-30'], ['--at', 'tomorrow'], ['--version', '1.99'], ['--nope']]) {
      const { code, stderr, stdout } = runCli(['versions', ...args]);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^eks-sim: /);
      expect(stdout).toBe('');
    }
  });

  it('run --scenario version-eol --json shows the automatic upgrades on their dates, nodes on 1.28, cost by phase', () => {
    const { code, stdout } = runCli(['run', '--scenario', 'version-eol', '--json'], { timeoutMs: 120_000 });
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(
      summary.versions.history.map((h: Record<string, string>) => `${h.fromVersion}→${h.toVersion} ${h.startedAt}`),
    ).toEqual([
      '1.28→1.29 2025-11-26T00:00:00.000Z',
      '1.29→1.30 2026-03-23T00:00:00.000Z',
      '1.30→1.31 2026-07-23T00:00:00.000Z',
    ]);
    expect(summary.versions.nodes.map((n: Record<string, string>) => n.kubeletVersion)).toEqual(['1.28', '1.28']);
    expect(summary.cost.byPhase.standard).toBeCloseTo(625.5, 6);
    expect(summary.violations).toEqual([]);
  });
});
