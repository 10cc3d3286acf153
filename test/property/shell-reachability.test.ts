import { createSimulation, scenarios } from '@eks-sim/sim-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/**
 * The shell's tools and the endpoint model tell one story: for any endpoint configuration and
 * any set of granted 443 rules, curl and kubectl succeed from a vantage exactly when the
 * what-if says that vantage reaches the API server, and a failure names the refusing hop.
 */
const config = fc.record({
  public: fc.boolean(),
  private: fc.boolean(),
  cidrs: fc.subarray(['0.0.0.0/0', '203.0.113.7/32', '198.51.100.0/24', '10.0.0.0/8'], { minLength: 1 }),
  allowBastion: fc.boolean(),
  from: fc.constantFrom('bastion', 'laptop', 'node'),
});

describe('shell tools agree with the endpoint what-if', () => {
  it('curl -k /version and kubectl get nodes succeed exactly when endpoint.reach says reachable', () => {
    fc.assert(
      fc.property(config, (c) => {
        fc.pre(c.public || c.private);
        const sim = createSimulation(scenarios['seed-week1']);
        const cidrs = c.public ? `,publicAccessCidrs=${c.cidrs.join(',')}` : '';
        const update = sim.exec(
          `aws eks update-cluster-config --name myeks --resources-vpc-config endpointPublicAccess=${c.public},endpointPrivateAccess=${c.private}${cidrs}`,
        );
        // Re-applying the current settings is refused by EKS; anything else must start an update.
        if (update.exitCode !== 0) expect(update.stderr).toMatch(/InvalidParameterException/);
        sim.exec('sleep 30m');
        if (c.allowBastion) {
          expect(
            sim.exec(
              'aws ec2 authorize-security-group-ingress --group-id $(aws eks describe-cluster --name myeks --query cluster.resourcesVpcConfig.clusterSecurityGroupId --output text) --protocol tcp --port 443 --source-group myeks-EKSEC2SG',
            ).exitCode,
          ).toBe(0);
        }
        const from =
          c.from === 'node' ? (sim.domains.shell.vantages().find((v) => v.startsWith('ip-')) as string) : c.from;
        const reach = sim.domains.endpoint.reach(from);
        const endpoint = sim.snapshot().cluster?.endpoint as string;
        const curl = sim.exec(`curl -k -s ${endpoint}/version`, { from });
        if (reach.reachable) {
          expect(curl.exitCode).toBe(0);
          expect(JSON.parse(curl.stdout).gitVersion).toMatch(/^v1\.28\./);
        } else {
          expect([6, 28]).toContain(curl.exitCode);
          expect(curl.stderr).toContain(`refused at ${reach.refusedAt}`);
        }
        if (c.from !== 'node') {
          const kubectl = sim.exec('kubectl get nodes', { from });
          expect(kubectl.exitCode === 0).toBe(reach.reachable);
        }
      }),
      { numRuns: 40, verbose: true },
    );
  });
});
