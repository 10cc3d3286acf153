import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'eks-sim-scenario-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const BAD = `extends: seed-week1
name: silently-dropped
timeline:
  - at: 10m
    command: { type: no.such.command }
  - at: 20m
    command: { type: fault.az, az: us-east-1a }
  - at: 1h
    command: { type: cluster.update-version, version: "1.29" }
  - at: 2h
    command: { type: cluster.update-version, version: "1.31" }
`;

describe('eks-sim scenario', () => {
  it('validate lists every error with file:line:column and exits 2; run refuses the same file and runs nothing', () => {
    const file = write('bad.yaml', BAD);
    const checked = runCli(['scenario', 'validate', file]);
    expect(checked.code).toBe(2);
    const lines = checked.stderr.trim().split('\n');
    expect(lines[0]).toBe(`${file}: 3 errors`);
    expect(lines[1]).toContain(`${file}:5:22: timeline[0].command.type: unknown command type "no.such.command"`);
    expect(lines[2]).toContain(
      `${file}:7:36: timeline[1].command.az: ap-northeast-2 has no control-plane AZ "us-east-1a"`,
    );
    expect(lines[3]).toContain(`${file}:11:55: timeline[3].command.version: EKS would refuse this step`);
    const run = runCli(['run', '--scenario', file, '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('3 errors; nothing was run');
    expect(run.stderr).not.toContain('invariants');
  });

  it('new writes a commented file with the schema modeline that validates and runs; --from copies a built-in', () => {
    const out = join(dir, 'my-class.yaml');
    const made = runCli(['scenario', 'new', 'my-class', '--out', out]);
    expect(made.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*docs\/scenario\.schema\.json$/);
    expect(text).toContain('# Simulated start, ISO 8601 in UTC');
    expect(runCli(['scenario', 'validate', out])).toMatchObject({ code: 0, stdout: `${out}: valid\n` });
    const run = runCli(['run', '--scenario', out, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ scenario: 'my-class', violations: [] });
    expect(runCli(['scenario', 'new', 'my-class', '--out', out]).stderr).toMatch(/exists \(use --force/);
    const copy = join(dir, 'az.yaml');
    expect(runCli(['scenario', 'new', 'az', '--from', 'az-outage', '--out', copy]).code).toBe(0);
    expect(readFileSync(copy, 'utf8')).toMatch(/type: fault\.az\n\s+az: apne2-az1/);
    expect(runCli(['scenario', 'validate', copy]).code).toBe(0);
  });

  it('show prints a built-in as YAML; list names them all; an unknown name is a usage error', () => {
    const shown = runCli(['scenario', 'show', 'load-spike']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^# yaml-language-server: \$schema=docs\/scenario\.schema\.json\n/);
    expect(shown.stdout).toContain('name: load-spike');
    const listed = runCli(['scenario', 'list']);
    expect(
      listed.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['seed-week1', 'seed-lab', 'version-eol', 'private-lockout', 'az-outage', 'load-spike']);
    const unknown = runCli(['scenario', 'show', 'seed-weak1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no built-in scenario "seed-weak1"/);
  });
});
