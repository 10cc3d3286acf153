/**
 * The "Done when" of real clients, for authentication and the endpoint: the AWS CLI (v1 and v2)
 * writes a kubeconfig with `update-kubeconfig` against the server, and the real kubectl works
 * with it unmodified over HTTPS with `aws eks get-token`'s token; no token, a bad one and an
 * expired one are refused as EKS refuses them; a private endpoint makes kubectl time out with
 * the simulator's explanation in its error, the server's log and the session's events.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer, type EksSimServer } from '@eks-sim/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eksToken } from '../helpers/eks-token';
import { type AwsCliMajor, awsCli, clientHome, clientsAvailable } from '../helpers/real-clients';

const available = clientsAvailable({ kubectl: true, aws: [1, 2] });

describe.runIf(available)('real kubectl and the AWS CLI against the server', () => {
  let server: EksSimServer;
  let dataDir: string;
  let base: string;
  let httpsBase: string;
  const notices: string[] = [];
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'eks-sim-real-'));
    server = await buildServer({
      dataDir,
      tls: true,
      unreachableTimeoutMs: 1000,
      notice: (message) => notices.push(message),
      warn: () => {},
    });
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.app.server.address() as { port: number }).port}`;
    httpsBase = `https://127.0.0.1:${await server.https?.listen(0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await server.app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const session = () => server.defaultSession;
  const region = () => session().sim.scenario.region;
  const homeFor = (major: AwsCliMajor) =>
    clientHome(awsCli(major) as string, { accessKeyId: session().id, secretAccessKey: session().token });
  const homes = new Map<AwsCliMajor, ReturnType<typeof homeFor>>();

  for (const major of [1, 2] as const) {
    it(`AWS CLI v${major}: update-kubeconfig writes a kubeconfig the real kubectl uses unmodified, over HTTPS`, async () => {
      const home = homeFor(major);
      homes.set(major, home);
      const update = await home.run('aws', [
        'eks',
        'update-kubeconfig',
        '--region',
        region(),
        '--name',
        'myeks',
        '--endpoint-url',
        base,
      ]);
      expect(update.code, update.stderr).toBe(0);
      const kubeconfig = readFileSync(home.kubeconfig, 'utf8');
      expect(kubeconfig).toContain(`server: ${httpsBase}\n`);
      expect(kubeconfig).toContain(
        `certificate-authority-data: ${Buffer.from(server.https?.caPem ?? '').toString('base64')}`,
      );
      const version = await home.run('kubectl', ['version', '-o', 'json']);
      expect(version.code, version.stderr).toBe(0);
      expect(JSON.parse(version.stdout).serverVersion.gitVersion).toMatch(/^v1\.28\.\d+-eks-/);
      // The exec plugin's token (aws eks get-token, made by the CLI alone) names the creator,
      // who may read Secrets; the same kubeconfig with a student's key is a viewer, who may not.
      const secrets = '/api/v1/namespaces/kube-system/secrets';
      const asCreator = await home.run('kubectl', ['get', '--raw', secrets]);
      expect(`${asCreator.stdout}${asCreator.stderr}`).not.toMatch(/Forbidden|Unauthorized|logged in/);
      if (major === 1) return; // the viewer once is enough (each CLI run costs seconds)
      const asStudent = await home.run('kubectl', ['get', '--raw', secrets], {
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLESTUDENT01',
        AWS_SECRET_ACCESS_KEY: 'anything',
      });
      expect(asStudent.stderr).toContain(
        'secrets is forbidden: User "arn:aws:iam::111122223333:user/AKIAEXAMPLESTUDENT01" cannot list resource "secrets"',
      );
    });
  }

  it('no token: 403 on resources, /version and /healthz answer; a bad or expired token: kubectl gets 401', async () => {
    const home = homes.get(2) ?? homes.get(1) ?? homeFor(2);
    const ca = join(home.home, 'ca.crt');
    writeFileSync(ca, server.https?.caPem ?? '');
    const direct = (...args: string[]) =>
      home.run('kubectl', [
        '--kubeconfig',
        '/dev/null',
        '--server',
        `${httpsBase}/k8s/default/myeks`,
        '--certificate-authority',
        ca,
        ...args,
      ]);
    // Without credentials kubectl prompts for a user name (and fails without a terminal), so
    // the anonymous client is an HTTPS GET trusting the same CA.
    const anonymous = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        httpsGet(`${httpsBase}/k8s/default/myeks${path}`, { ca: server.https?.caPem }, (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += String(chunk);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        }).on('error', reject);
      });
    const nodes = await anonymous('/api/v1/nodes');
    expect(nodes.status).toBe(403);
    expect(JSON.parse(nodes.body).message).toContain('User "system:anonymous" cannot list resource "nodes"');
    expect((await anonymous('/version')).status).toBe(200);
    expect((await anonymous('/healthz')).body).toBe('ok');
    const bad = await direct('--token', 'k8s-aws-v1.bm90LWEtdXJs', 'get', '--raw', '/api/v1/nodes');
    expect(bad.stderr).toContain('Unauthorized');
    const expired = await eksToken({
      accessKeyId: session().id,
      secretAccessKey: session().token,
      clusterName: 'myeks',
      region: region(),
      signedAt: new Date(Date.now() - 20 * 60_000),
    });
    const late = await direct('--token', expired, 'get', '--raw', '/api/v1/nodes');
    expect(late.stderr).toContain('Unauthorized');
  });

  it('endpoint private: the laptop kubectl times out with the reason, logged by the server and in the session events', async () => {
    const home = homes.get(1) ?? homeFor(1);
    if (!homes.has(1)) {
      const update = await home.run('aws', [
        'eks',
        'update-kubeconfig',
        '--region',
        region(),
        '--name',
        'myeks',
        '--endpoint-url',
        base,
      ]);
      expect(update.code, update.stderr).toBe(0);
    }
    expect(session().apply({ type: 'endpoint.update', public: false, private: true }).ok).toBe(true);
    session().sim.advance(3_600_000);
    expect(session().sim.snapshot().cluster?.resourcesVpcConfig.endpointPublicAccess).toBe(false);
    const started = Date.now();
    const run = await home.run('kubectl', ['version']);
    // Printed on failure: what this machine's kubectl (a dispatcher, on some images) said.
    console.log(`kubectl version, endpoint private:\n${run.stderr}`);
    expect(run.code).not.toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    // client-go words a 504 itself; the explanation comes through the Warning header.
    expect(run.stderr).toContain('eks-sim: laptop cannot reach the API server in private mode');
    expect(notices.join('\n')).toContain('on laptop could not reach the API server: eks-sim: laptop cannot reach');
    const events = session()
      .sim.events()
      .filter((e) => e.type === 'endpoint.client-refused')
      .map((e) => e.message);
    expect(events.join('\n')).toMatch(
      /\(arn:aws:iam::111122223333:user\/admin\) on laptop timed out: eks-sim: laptop cannot reach the API server/,
    );
  });
});
