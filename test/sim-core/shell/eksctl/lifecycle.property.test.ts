import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eksctl, labWithoutCluster, SEED_LINE } from './invoke';

/** What a class might type, in any order, from the bastion or the laptop. */
const step = fc.constantFrom(
  SEED_LINE,
  'create cluster --name myeks --nodes 1',
  'utils update-cluster-vpc-config --cluster=myeks --private-access=true --public-access=false --approve',
  'utils update-cluster-vpc-config --cluster=myeks --private-access=false --public-access=true --approve',
  'create nodegroup --cluster myeks --name ng2 --nodes 1',
  'delete nodegroup --cluster myeks --name ng2 --wait',
  'upgrade cluster --name myeks --approve',
  'delete cluster --name myeks --wait',
  'get cluster',
);

describe('eksctl sessions in any order (property)', () => {
  it('never crash, and the stacks, roles and node groups always agree with the cluster', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(step, fc.constantFrom('bastion', 'laptop')), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 10_000 }),
        (steps, seed) => {
          const sim = labWithoutCluster({}, seed);
          for (const [line, from] of steps) {
            const run = eksctl(sim, line, { from });
            expect([0, 1]).toContain(run.code);
            if (run.code === 1) expect(run.stderr).toMatch(/^Error: /m);
          }
          // Let anything still running (a deletion, an update) finish.
          sim.advance(60 * 60_000);
          const prov = sim.domains.provisioning;
          const cluster = sim.domains.cluster.cluster;
          if (!cluster) {
            expect(prov.stacks()).toEqual([]);
            expect(prov.roles()).toEqual([]);
            expect(sim.domains.nodegroups.all).toEqual([]);
          } else {
            expect(prov.stack(`eksctl-${cluster.name}-cluster`)?.StackStatus).toBe('CREATE_COMPLETE');
            for (const group of sim.domains.nodegroups.all) {
              const stack = prov.stack(`eksctl-${cluster.name}-nodegroup-${group.name}`);
              expect(stack, group.name).toBeDefined();
              expect(group.nodeRoleArn).toBe(prov.nodeRole(cluster.name, group.name)?.Arn);
            }
            for (const s of prov.stacks()) expect(s.StackStatus).not.toMatch(/IN_PROGRESS$/);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
