import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';

describe('eks-sim campaign', () => {
  it('runs the control-plane property over a few schedules on worker threads and reports runs, violations and throughput', () => {
    const result = runCli(['campaign', '--runs', '4', '--seed', '11', '--workers', '2', '--json'], {
      timeoutMs: 300_000,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      runs: 4,
      violations: [],
      seed: 11,
      scenarios: ['az-outage', 'seed-week1'],
      workers: 2,
    });
    expect(report.runsPerSec).toBeGreaterThan(0);
  }, 320_000);

  it('prints a one-line report without --json, and is quiet about progress when stderr is not a terminal', () => {
    const result = runCli(['campaign', '--runs', '1', '--seed', '3', '--scenario', 'seed-week1'], {
      timeoutMs: 300_000,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      /^campaign: 1 runs of seed-week1, 0 violation\(s\), [\d.]+ s wall, [\d.]+ runs\/s on 1 worker\(s\) \(seed 3\)\n$/,
    );
  }, 320_000);

  it('refuses bad flags with one clear line and exit status 2', () => {
    for (const [args, message] of [
      [['--runs', '0'], '--runs must be a positive whole number (got "0")'],
      [['--seed', '-1'], '--seed needs a value'],
      [['--scenario', 'nope'], '--scenario must be one of az-outage, seed-week1 (got "nope")'],
      [['--bogus'], "Unknown option '--bogus'"],
    ] as const) {
      const result = runCli(['campaign', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(message);
    }
  });
});
