/**
 * The real kubectl against the simulated API server. kubectl sends no bearer token over plain
 * http, so these tests put a small proxy in front of it that adds the cluster creator's EKS
 * token (made as `aws eks get-token` makes it), as `kubectl proxy` adds credentials for a
 * local client. Without
 * kubectl on PATH they skip with a message, unless EKS_SIM_REQUIRE_CLIENTS is set (CI).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eksToken } from '../helpers/eks-token';
import { startServer } from './harness';

function kubectlAvailable(): boolean {
  const found = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  if (found) return true;
  if (process.env.EKS_SIM_REQUIRE_CLIENTS) throw new Error('EKS_SIM_REQUIRE_CLIENTS is set but kubectl is not on PATH');
  console.warn(
    'real-kubectl tests skipped: kubectl is not on PATH (install kubectl v1.32, or set EKS_SIM_REQUIRE_CLIENTS=1 to fail instead)',
  );
  return false;
}

const available = kubectlAvailable();

describe.skipIf(!available)('the real kubectl against /k8s (through a token-adding proxy)', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let proxy: http.Server;
  let proxyUrl = '';
  let home = '';

  beforeAll(async () => {
    server = await startServer();
    const token = await eksToken({
      accessKeyId: server.defaultSession.id,
      secretAccessKey: server.defaultSession.token,
      clusterName: 'myeks',
      region: server.defaultSession.sim.scenario.region,
    });
    const target = `${server.base}/k8s/default/myeks`;
    proxy = http.createServer((req, res) => {
      const upstream = http.request(
        `${target}${req.url}`,
        { method: req.method, headers: { ...req.headers, authorization: `Bearer ${token}` } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    home = mkdtempSync(join(tmpdir(), 'eks-sim-kubectl-'));
    writeFileSync(join(home, 'config'), '');
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  });

  const kubectl = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'kubectl',
        ['--server', proxyUrl, '--cache-dir', join(home, 'cache'), ...args],
        { env: { ...process.env, KUBECONFIG: join(home, 'config'), HOME: home }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('get nodes -o wide, get pods -A, get ns, get svc -A print what the model holds', async () => {
    const nodes = await kubectl('get', 'nodes', '-o', 'wide');
    expect(nodes.stderr).toBe('');
    const names = server.defaultSession.sim.domains.workloads.nodes().map((n) => n.name);
    expect(nodes.stdout.split('\n')[0]).toMatch(
      /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE/,
    );
    for (const name of names) expect(nodes.stdout).toMatch(new RegExp(`${name}\\s+Ready\\s+<none>`));
    const pods = await kubectl('get', 'pods', '-A');
    expect(pods.stdout).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    expect(pods.stdout.match(/kube-system\s+coredns-\S+\s+1\/1\s+Running/g)).toHaveLength(2);
    expect(pods.stdout.match(/kube-system\s+aws-node-\S+\s+2\/2\s+Running/g)).toHaveLength(names.length);
    const ns = await kubectl('get', 'ns');
    expect(
      ns.stdout
        .split('\n')
        .slice(1, 5)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const svc = await kubectl('get', 'svc', '-A');
    expect(svc.stdout).toMatch(/default\s+kubernetes\s+ClusterIP\s+10\.100\.0\.1\s+<none>\s+443\/TCP/);
    expect(svc.stdout).toMatch(/kube-system\s+kube-dns\s+ClusterIP\s+10\.100\.0\.10/);
    const empty = await kubectl('get', 'pods');
    expect(empty.stderr).toBe('No resources found in default namespace.\n');
  });

  it('describe node, api-resources and get -o yaml work from discovery and the full objects', async () => {
    const name = server.defaultSession.sim.domains.workloads.nodes()[0]?.name as string;
    const described = await kubectl('describe', 'node', name);
    expect(described.code).toBe(0);
    expect(described.stdout).toMatch(/^Name:\s+ip-/);
    expect(described.stdout).toMatch(/Ready\s+True/);
    expect(described.stdout).toMatch(/Non-terminated Pods:\s+\(\d+ in total\)/);
    expect(described.stdout).toMatch(new RegExp(`Lease:\\n\\s+HolderIdentity:\\s+${name.replaceAll('.', '\\.')}`));
    const resources = await kubectl('api-resources');
    expect(resources.stdout).toMatch(/deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
    const yaml = await kubectl('get', 'cm', 'aws-auth', '-n', 'kube-system', '-o', 'yaml');
    expect(yaml.stdout).toContain('system:node:{{EC2PrivateDNSName}}');
  });

  it("the simulated shell's kubectl prints what the real kubectl prints for the same Tables", async () => {
    for (const args of [
      ['get', 'nodes', '-o', 'wide'],
      ['get', 'pods', '-A'],
      ['get', 'pods', '-n', 'kube-system', '-o', 'wide'],
      ['get', 'svc', '-A'],
      ['get', 'ns'],
      ['get', 'deploy,ds,rs', '-n', 'kube-system'],
      ['get', 'ep', '-A'],
      ['get', 'pods'],
    ]) {
      const real = await kubectl(...args);
      const simulated = server.defaultSession.sim.exec(`kubectl ${args.join(' ')}`);
      expect(simulated.stdout, args.join(' ')).toBe(real.stdout);
      expect(simulated.stderr, args.join(' ')).toBe(real.stderr);
    }
  });

  it('auth whoami names the IAM user EKS maps the token to, as the shell does; without a token it may not ask', async () => {
    const real = await kubectl('auth', 'whoami');
    expect(real).toMatchObject({ code: 0, stderr: '' });
    const lines = real.stdout.split('\n');
    expect(lines[0]).toMatch(/^ATTRIBUTE +VALUE$/);
    expect(lines).toContain('Username              arn:aws:iam::111122223333:user/admin');
    expect(lines).toContain('Groups                [system:authenticated]');
    // The token was signed with the session's control key: EKS shows the key that signed it.
    expect(lines).toContain(`Extra: accessKeyId    [${server.defaultSession.id}]`);
    // The shell's user is the same IAM user with its own access key: every other line is the same.
    const shell = server.defaultSession.sim.exec('kubectl auth whoami');
    const withoutKey = (text: string) => text.replace(/^Extra: accessKeyId .*\n/m, '');
    expect(withoutKey(shell.stdout)).toBe(withoutKey(real.stdout));
    // kubectl sends no token over plain http: anonymous, whom EKS does not let ask (403), in kubectl's words.
    const anonymous = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        'kubectl',
        ['--server', `${server.base}/k8s/default/myeks`, '--cache-dir', join(home, 'cache'), 'auth', 'whoami'],
        { env: { ...process.env, KUBECONFIG: join(home, 'config'), HOME: home }, timeout: 60_000 },
        (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
      );
    });
    expect(anonymous).toEqual({
      code: 1,
      stderr:
        'error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it\n',
    });
  });

  it('cordon, drain (DaemonSet pods ignored), scale and uncordon change the model', async () => {
    const sim = server.defaultSession.sim;
    const name = sim.domains.workloads.nodes()[0]?.name as string;
    expect((await kubectl('cordon', name)).stdout).toBe(`node/${name} cordoned\n`);
    const drained = await kubectl('drain', name, '--ignore-daemonsets');
    expect(drained.code).toBe(0);
    expect(drained.stdout).toContain(`node/${name} drained`);
    expect(sim.domains.workloads.pods().filter((p) => p.app === 'coredns' && p.nodeName === name)).toEqual([]);
    expect((await kubectl('scale', 'deployment', 'coredns', '-n', 'kube-system', '--replicas=3')).stdout).toBe(
      'deployment.apps/coredns scaled\n',
    );
    expect(sim.domains.workloads.replicas).toBe(3);
    expect((await kubectl('uncordon', name)).stdout).toBe(`node/${name} uncordoned\n`);
    const refused = await kubectl('delete', 'svc', 'kube-dns', '-n', 'kube-system');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('eks-sim does not model DELETE services');
  });

  it('failing an AZ through the API turns its node and its pods NotReady; recovering it brings them back', async () => {
    const sim = server.defaultSession.sim;
    const api = async (path: string, body: unknown) => {
      const res = await fetch(`${server.base}/api/sessions/default${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.defaultSession.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(200);
    };
    // apne2-az1 is ap-northeast-2a in the simulated account: one of the seed's two nodes is there.
    const down = sim.domains.workloads.nodes().find((n) => n.node.az === 'ap-northeast-2a')?.name as string;
    const up = sim.domains.workloads.nodes().find((n) => n.node.az === 'ap-northeast-2c')?.name as string;
    const statusOf = (table: string, name: string) =>
      table
        .split('\n')
        .find((l) => l.startsWith(`${name} `))
        ?.split(/\s+/)[1];
    await api('/commands', { type: 'fault.az', az: 'apne2-az1' });
    await api('/clock', { action: 'step', ms: 60_000 });
    const nodes = (await kubectl('get', 'nodes')).stdout;
    expect(statusOf(nodes, down)).toBe('NotReady');
    expect(statusOf(nodes, up)).toBe('Ready');
    const pods = (await kubectl('get', 'pods', '-A', '-o', 'wide')).stdout.split('\n').slice(1).filter(Boolean);
    const onDown = pods.filter((l) => l.includes(` ${down} `));
    expect(onDown.map((l) => l.split(/\s+/)[1]?.replace(/-[a-z0-9]+$/, ''))).toEqual(
      expect.arrayContaining(['aws-node', 'kube-proxy']),
    );
    for (const line of onDown) expect(line.split(/\s+/)[2], line).toMatch(/^0\//);
    for (const line of pods.filter((l) => l.includes(` ${up} `)))
      expect(line.split(/\s+/)[2], line).not.toMatch(/^0\//);
    const described = (await kubectl('describe', 'node', down)).stdout;
    expect(described).toContain('Kubelet stopped posting node status.');

    await api('/commands', { type: 'recover.az', az: 'apne2-az1' });
    expect(statusOf((await kubectl('get', 'nodes')).stdout, down)).toBe('Ready');
    const after = (await kubectl('get', 'pods', '-A', '-o', 'wide')).stdout.split('\n').slice(1).filter(Boolean);
    for (const line of after.filter((l) => l.includes(` ${down} `)))
      expect(line.split(/\s+/)[2], line).not.toMatch(/^0\//);
  });
});
