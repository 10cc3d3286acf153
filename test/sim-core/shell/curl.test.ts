import { createSimulation, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

const week1 = () => createSimulation(scenarios['seed-week1']);
const ENDPOINT = 'aws eks describe-cluster --name myeks --query cluster.endpoint --output text';

describe('curl to the API server by address and with a bearer token', () => {
  it('an endpoint address needs no DNS lookup: it answers as the name does', () => {
    const sim = week1();
    const address = sim.exec(`dig +short $(${ENDPOINT} | cut -c9-) | head -n 1`).stdout.trim();
    expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const r = sim.exec(`curl -k -s https://${address}/version`);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).gitVersion).toMatch(/^v1\.28\./);
  });

  it('an address nothing answers at is not "Could not resolve host": the connection times out', () => {
    const sim = week1();
    const t0 = sim.now();
    const r = sim.exec('curl -k --connect-timeout 5 https://1.2.3.4/');
    expect(r.exitCode).toBe(28);
    expect(r.stderr).toContain('curl: (28) Failed to connect to 1.2.3.4 port 443 after 5006 ms: Timeout was reached\n');
    expect(r.stderr).not.toContain('Could not resolve host');
    expect(sim.now() - t0).toBe(5000);
  });

  it('a bearer token EKS would reject gets 401 Unauthorized, as Kubernetes answers; no token gets the anonymous 403', () => {
    const sim = week1();
    const bad = sim.exec(`curl -k -s -H "Authorization: Bearer abc" $(${ENDPOINT})/api`);
    expect(bad.exitCode).toBe(0);
    expect(JSON.parse(bad.stdout)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    expect(sim.exec(`curl -k -s -i -H "Authorization: Bearer abc" $(${ENDPOINT})/version`).stdout).toMatch(
      /^HTTP\/2 401 /,
    );
    const anonymous = JSON.parse(sim.exec(`curl -k -s $(${ENDPOINT})/api`).stdout);
    expect(anonymous).toMatchObject({ reason: 'Forbidden', code: 403 });
  });
});
