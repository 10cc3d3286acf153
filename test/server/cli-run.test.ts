import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';

describe('eks-sim run', () => {
  it('az-outage for 24h ends with ≥ 2 healthy API servers, 3 etcd over 3 AZs, one leader, no violations, and the same logHash every run', () => {
    const args = ['run', '--scenario', 'az-outage', '--seed', '7', '--duration', '24h', '--json'];
    const first = runCli(args);
    expect(first.stderr.trim()).toBe('');
    expect(first.code).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(out).toMatchObject({ scenario: 'az-outage', seed: 7, simulatedMs: 86_400_000, violations: [] });
    expect(out.logHash).toMatch(/^[0-9a-f]{64}$/);
    expect(out.events).toBeGreaterThan(0);
    expect(typeof out.wallMs).toBe('number');
    const healthy = out.controlPlane.apiServers.filter((a: { state: string }) => a.state === 'healthy');
    expect(healthy.length).toBeGreaterThanOrEqual(2);
    expect(out.controlPlane.etcd).toHaveLength(3);
    expect(new Set(out.controlPlane.etcd.map((m: { az: string }) => m.az)).size).toBe(3);
    expect(out.controlPlane.etcd.filter((m: { role: string }) => m.role === 'leader')).toHaveLength(1);
    for (const m of out.controlPlane.etcd) expect(m).toHaveProperty('term');
    for (const n of out.controlPlane.nlbs)
      expect(n).toMatchObject({ id: expect.any(String), inDns: expect.any(Boolean) });
    expect(out.load).toMatchObject({
      offeredRps: expect.any(Number),
      servedRps: expect.any(Number),
      total429: expect.any(Number),
      total503: expect.any(Number),
      p99LatencyMs: expect.any(Number),
    });
    expect(typeof out.cost.totalUsd).toBe('number');
    const second = JSON.parse(runCli(args).stdout);
    expect(second.logHash).toBe(out.logHash);
  });

  it('prints a human summary with the control plane, the load, the cost and the log hash by default', () => {
    const result = runCli(['run', '--scenario', 'load-spike', '--duration', '3h']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^load-spike \(seed 3\): 3h simulated/);
    expect(result.stdout).toContain('autoscaler: scale-out');
    expect(result.stdout).toMatch(/cost: \$\d+\.\d\d/);
    expect(result.stdout).toMatch(/logHash [0-9a-f]{64}/);
  });

  it('--check looks at the invariants during the run and reads a scenario file', () => {
    const file = join(tmpdir(), `eks-sim-run-${process.pid}.yaml`);
    writeFileSync(file, 'extends: load-spike\nname: my-spike\nduration: 2h\n');
    const result = runCli(['run', '--scenario', file, '--check', '--json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.scenario).toBe('my-spike');
    expect(out.simulatedMs).toBe(7_200_000);
    expect(out.violations).toEqual([]);
  });

  it('bad input gets one clear line on stderr and exit code 2', () => {
    for (const [args, words] of [
      [['run', '--scenario', 'no-such-scenario'], 'unknown scenario "no-such-scenario"'],
      [['run', '--duration', 'soon'], '--duration must be'],
      [['run', '--seed', 'abc'], '--seed must be an integer'],
      [['run', '--speed', '3'], 'run:'],
    ] as const) {
      const result = runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(words);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a malformed scenario file is named with its problem', () => {
    const file = join(tmpdir(), `eks-sim-bad-${process.pid}.yaml`);
    writeFileSync(file, 'name: x\nstart: yesterday\nregion: ap-northeast-2\ncluster: {name: a, version: "1.28"}\n');
    const result = runCli(['run', '--scenario', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${file}:2:8: start: "yesterday" is not in the right form (accepted: Simulated start, ISO 8601`,
    );
  });
});

describe('eks-sim run with a bad load section', () => {
  it('names the field of the load section that is wrong', () => {
    const file = join(tmpdir(), `eks-sim-load-${process.pid}.yaml`);
    writeFileSync(file, 'extends: load-spike\nname: typo\nload: {profile: spiky}\n');
    const result = runCli(['run', '--scenario', file]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `eks-sim: ${file}: 1 error; nothing was run\n${file}:3:17: load.profile: "spiky" is not allowed here (accepted: one of "flat", "diurnal", "classroom", "spike")`,
    );
  });
});
