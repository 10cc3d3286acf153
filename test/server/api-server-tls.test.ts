import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { buildServer, type EksSimServer } from '@eks-sim/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certificateNames, loadTls } from '../../packages/server/src/tls';
import { eksToken } from '../helpers/eks-token';

const names = certificateNames([]);

describe("the simulated API server's CA and certificate (tls.ts)", () => {
  let dir: string;
  const warnings: string[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'eks-sim-tls-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    warnings.length = 0;
  });
  const load = (hosts = names) => loadTls(dir, hosts, (m) => warnings.push(m));

  it('made at the first start, kept in the data directory and reused on restart', async () => {
    const first = await load();
    const cert = new X509Certificate(first.certPem);
    expect(cert.verify(new X509Certificate(first.caPem).publicKey)).toBe(true);
    expect(new X509Certificate(first.caPem).subject).toBe('CN=kubernetes');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(readFileSync(join(dir, 'ca.crt'), 'utf8')).toBe(first.caPem);
    const again = await load();
    expect(again).toEqual(first);
    expect(warnings).toEqual([]);
  });

  it('a new host name to cover gets a new server certificate from the same CA', async () => {
    const before = await load();
    const after = await load(certificateNames(['teacher.local']));
    expect(after.caPem).toBe(before.caPem);
    expect(new X509Certificate(after.certPem).checkHost('teacher.local')).toBe('teacher.local');
    expect(warnings).toEqual([]);
  });

  it('damaged files are set aside and made again, with a warning, never a crash', async () => {
    const before = await load();
    writeFileSync(join(dir, 'ca.key'), 'not a key');
    const remade = await load();
    expect(remade.caPem).not.toBe(before.caPem);
    expect(warnings.join('\n')).toContain('cannot be used');
    expect(warnings.join('\n')).toContain('update-kubeconfig');
    expect(readFileSync(join(dir, 'ca.key.damaged'), 'utf8')).toBe('not a key');
    warnings.length = 0;
    writeFileSync(join(dir, 'server.crt'), '-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n');
    const fixed = await load();
    expect(fixed.caPem).toBe(remade.caPem);
    expect(new X509Certificate(fixed.certPem).verify(new X509Certificate(fixed.caPem).publicKey)).toBe(true);
    expect(warnings.join('\n')).toContain('certificate in');
  });
});

describe('DescribeCluster gives the HTTPS endpoint and its CA; real clients stand on the laptop unless placed', () => {
  let server: EksSimServer;
  let base: string;
  let httpsPort: number;
  // Filled once the session exists: which host a key stands on is read at each request.
  const clientHosts: Record<string, string> = {};
  beforeAll(async () => {
    server = await buildServer({
      dataDir: null,
      tls: true,
      clientHosts,
      unreachableTimeoutMs: 10,
      notice: () => {},
    });
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.app.server.address() as { port: number }).port}`;
    httpsPort = (await server.https?.listen(0, '127.0.0.1')) as number;
  });
  afterAll(async () => server.app.close());

  const https = (path: string, authorization?: string) =>
    new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
      const headers = authorization ? { authorization } : {};
      httpsGet(`https://127.0.0.1:${httpsPort}${path}`, { ca: server.https?.caPem, headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += String(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      }).on('error', reject);
    });

  it('the SDK sees https://127.0.0.1:<https port> and the CA PEM, base64, as EKS gives it', async () => {
    const eks = new EKSClient({
      endpoint: base,
      region: server.defaultSession.sim.scenario.region,
      credentials: { accessKeyId: 'default', secretAccessKey: 'x' },
    });
    const { cluster } = await eks.send(new DescribeClusterCommand({ name: 'myeks' }));
    expect(cluster?.endpoint).toBe(`https://127.0.0.1:${httpsPort}`);
    expect(Buffer.from(cluster?.certificateAuthority?.data ?? '', 'base64').toString()).toBe(server.https?.caPem);
    // The simulated shell keeps the realistic name.
    const shell = server.defaultSession.exec('aws eks describe-cluster --name myeks --query cluster.endpoint');
    expect(shell.stdout).toMatch(/\.eks\.amazonaws\.com/);
  });

  it('the root of the HTTPS port is the API server of the session the token names, else the default one', async () => {
    expect(JSON.parse((await https('/version')).body).gitVersion).toMatch(/^v1\.28\./);
    expect((await https('/api/v1/nodes')).status).toBe(403);
    expect((await https('/k8s/default/myeks/version')).status).toBe(200);
  });

  it('with the endpoint private, the laptop times out with the reason; a key placed on a node reaches it', async () => {
    const session = server.defaultSession;
    expect(session.apply({ type: 'endpoint.update', public: false, private: true }).ok).toBe(true);
    session.sim.advance(3_600_000);
    const inside = session.sim.snapshot().endpoint.reachability.find((r) => r.reachable)?.client;
    expect(inside).toBeTruthy();
    clientHosts.AKIAEXAMPLEINSIDE001 = inside as string;
    const laptop = await https('/version');
    expect(laptop.status).toBe(504);
    expect(laptop.headers.connection).toBe('close');
    expect(String(laptop.headers.warning)).toMatch(
      /^299 - "eks-sim: laptop cannot reach the API server in private mode/,
    );
    expect(JSON.parse(laptop.body).message).toContain('i/o timeout (eks-sim: laptop cannot reach');
    const placed = await eksToken({
      accessKeyId: 'AKIAEXAMPLEINSIDE001',
      secretAccessKey: 'x',
      clusterName: 'myeks',
    });
    expect((await https('/version', `Bearer ${placed}`)).status).toBe(200);
    const events = session.sim.events().filter((e) => e.type === 'endpoint.client-refused');
    expect(events).toHaveLength(1);
    expect(events[0]?.message).toContain('on laptop timed out: eks-sim: laptop cannot reach the API server');
  });
});
