import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';

interface Row {
  mode: string;
  client: string;
  reachable: boolean;
  via: string | null;
  path: { hop: string; ok: boolean; detail: string }[];
  refusedAt: string | null;
  fix: string | null;
}

const CLUSTER_SG_FIX = /^add inbound TCP 443 from sg-0[0-9a-f]{16} \(myeks-host\) to eks-cluster-sg-myeks-\d+$/;

describe('eks-sim whatif endpoint', () => {
  it("answers the seed's questions for seed-week1 in all three modes (issue 3, Done when)", () => {
    const { code, stdout, stderr } = runCli(['whatif', 'endpoint', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Row[];
    expect(rows.map((r) => `${r.mode}/${r.client}`)).toEqual(
      ['public', 'public-private', 'private'].flatMap((m) =>
        ['laptop', 'bastion', 'node-public', 'node-private'].map((c) => `${m}/${c}`),
      ),
    );
    const at = (mode: string, client: string) => rows.find((r) => r.mode === mode && r.client === client) as Row;
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining(['mode', 'client', 'reachable', 'path', 'refusedAt', 'fix']),
      );
    }
    expect(at('public', 'laptop')).toMatchObject({ reachable: true, via: 'public', refusedAt: null });
    expect(at('public', 'bastion')).toMatchObject({ reachable: true, via: 'public', refusedAt: null });
    expect(at('public-private', 'bastion').via).toBe('private');
    expect(at('public-private', 'bastion').path[0]?.detail).toMatch(/private addresses/);
    expect(at('private', 'bastion')).toMatchObject({ reachable: false, refusedAt: 'cluster-sg-ingress' });
    expect(at('private', 'bastion').fix).toMatch(CLUSTER_SG_FIX);
    expect(at('private', 'laptop').reachable).toBe(false);
    expect(at('public', 'node-private')).toMatchObject({ reachable: false, refusedAt: 'route-table' });
  });

  it('private-lockout with --allow bastion lets the bastion back in', () => {
    const { code, stdout } = runCli([
      'whatif',
      'endpoint',
      '--scenario',
      'private-lockout',
      '--mode',
      'private',
      '--allow',
      'bastion',
      '--json',
    ]);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Row[];
    expect(rows.every((r) => r.mode === 'private')).toBe(true);
    expect(rows.find((r) => r.client === 'bastion')).toMatchObject({ reachable: true, via: 'private' });
  });

  it('prints a table for people with the refusing hop and the fix', () => {
    const { code, stdout } = runCli(['whatif', 'endpoint', '--mode', 'private']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/MODE\s+CLIENT\s+REACHES API\s+VIA\s+REFUSED AT/);
    expect(stdout).toMatch(/private\s+bastion\s+NO\s+private addresses\s+cluster-sg-ingress/);
    expect(stdout).toMatch(/fix: add inbound TCP 443 from sg-0[0-9a-f]{16} \(myeks-host\) to eks-cluster-sg-myeks-\d+/);
  });

  it.each([
    [['--mode', 'secret'], /--mode must be one of public, public-private, private \(got "secret"\)/],
    [['--public-cidrs', '10.0.0.0/33'], /The following CIDRs are invalid in publicAccessCidrs: \[10\.0\.0\.0\/33\]/],
    [['--allow', 'mainframe'], /unknown client "mainframe"/],
    [['--scenario', 'no-such-scenario'], /unknown scenario "no-such-scenario"/],
  ])('refuses %j with one line on stderr and exit code 2', (flags, message) => {
    const { code, stdout, stderr } = runCli(['whatif', 'endpoint', ...flags]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });
});
