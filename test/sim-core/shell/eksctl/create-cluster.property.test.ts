import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bastionEnv, eksctl, labWithoutCluster } from './invoke';

/** Flags a learner might type, with good and bad values mixed. */
const flag = fc.oneof(
  fc.constantFrom(
    '--ssh-access',
    '--external-dns-access',
    '--managed=false',
    '--node-private-networking',
    '--with-oidc',
  ),
  fc.constantFrom('1.27', '1.28', '1.29', 'latest', '2').map((v) => `--version=${v}`),
  fc.constantFrom('t3.medium', 'm5.large').map((v) => `--node-type=${v}`),
  fc.integer({ min: -1, max: 4 }).map((n) => `--nodes=${n}`),
  fc.integer({ min: 0, max: 3 }).map((n) => `--nodes-min=${n}`),
  fc.integer({ min: 1, max: 5 }).map((n) => `--nodes-max=${n}`),
  fc.constantFrom('20', '30', 'big').map((v) => `--node-volume-size=${v}`),
  fc
    .constantFrom('"$PubSubnet1,$PubSubnet2"', '$PrivateSubnet1', 'subnet-0bad')
    .map((v) => `--vpc-public-subnets ${v}`),
  fc.constantFrom('"$PrivateSubnet1,$PrivateSubnet2"', '$PubSubnet1').map((v) => `--vpc-private-subnets ${v}`),
  fc.constantFrom('--region=ap-northeast-2', '--region=us-east-1', '--no-such-flag', '--dry-run'),
);

describe('eksctl create cluster with any mix of flags (property)', () => {
  it('never crashes; success means both stacks complete and the cluster ACTIVE, failure means an Error line and nothing built', () => {
    fc.assert(
      fc.property(fc.array(flag, { maxLength: 6 }), fc.integer({ min: 1, max: 1000 }), (flags, seed) => {
        const sim = labWithoutCluster({}, seed);
        const before = sim.events().length;
        const run = eksctl(sim, `create cluster --name myeks ${flags.join(' ')}`);
        const dryRun = flags.includes('--dry-run');
        if (run.code === 0 && !dryRun) {
          const stacks = sim.domains.provisioning.stacks();
          expect(stacks.length).toBeGreaterThanOrEqual(1);
          for (const s of stacks) expect(s.StackStatus).toBe('CREATE_COMPLETE');
          expect(sim.domains.cluster.status).toBe('ACTIVE');
        } else {
          if (run.code !== 0) {
            // Either refused up front (nothing built), or a stack failed and eksctl said so.
            expect(run.stderr).toMatch(/^Error: /m);
            if (sim.domains.provisioning.stacks().length > 0) expect(run.stdout).toContain('[✖]');
            else expect(sim.events().length).toBe(before);
          } else {
            expect(sim.domains.provisioning.stacks()).toEqual([]);
          }
        }
        expect(Object.keys(bastionEnv(sim))).toContain('PubSubnet1');
      }),
      { numRuns: 40 },
    );
  });
});
