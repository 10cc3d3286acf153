import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './harness';

const run = promisify(execFile);

/**
 * The EKS operations of a student's workflow (docs/api.md) from the real AWS CLI, v1 (pip) and
 * v2 (Debian's `awscli`), with `--endpoint-url`. A CLI that is not installed is skipped with
 * the reason printed, unless EKS_SIM_REQUIRE_CLIENTS=1 (CI) makes that a failure.
 */
const REQUIRED = process.env.EKS_SIM_REQUIRE_CLIENTS === '1';

/** The first of `candidates` whose `--version` says `aws-cli/<major>.`, or why none does. */
async function findCli(major: 1 | 2, candidates: readonly string[]): Promise<{ path: string } | { missing: string }> {
  for (const path of candidates) {
    const version = await run(path, ['--version'], { timeout: 30_000 }).then(
      ({ stdout, stderr }) => `${stdout}${stderr}`,
      () => '',
    );
    if (version.startsWith(`aws-cli/${major}.`)) return { path };
  }
  return { missing: `no AWS CLI v${major} among ${candidates.join(', ')} (aws-cli/${major}.x --version)` };
}

const CLIS = [
  { major: 1 as const, candidates: ['aws', '/usr/local/bin/aws'] },
  { major: 2 as const, candidates: ['/usr/bin/aws', 'aws', '/usr/local/bin/aws'] },
];

for (const { major, candidates } of CLIS) {
  describe(`AWS CLI v${major} against the server's EKS API`, () => {
    let server: Awaited<ReturnType<typeof startServer>>;
    let cli: { path: string } | { missing: string };
    let session: { id: string; token: string };
    let subnets: string[];

    const aws = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
      if (!('path' in cli)) throw new Error(cli.missing);
      return run(cli.path, [...args, '--endpoint-url', server.base, '--output', 'json'], {
        timeout: 60_000,
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: session.id,
          AWS_SECRET_ACCESS_KEY: session.token,
          AWS_DEFAULT_REGION: 'ap-northeast-2',
          AWS_PAGER: '',
          // One attempt, no metadata service: each call is one request and its answer.
          AWS_MAX_ATTEMPTS: '1',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code?: number; stdout?: string; stderr?: string }) => ({
          code: typeof error.code === 'number' ? error.code : -1,
          stdout: error.stdout ?? '',
          stderr: error.stderr ?? '',
        }),
      );
    };
    const ok = async (args: string[]) => {
      const r = await aws(args);
      expect(r.code, `aws ${args.join(' ')}\n${r.stderr}`).toBe(0);
      return r.stdout.trim() ? JSON.parse(r.stdout) : {};
    };
    const command = (body: Record<string, unknown>) =>
      server.app.inject({
        method: 'POST',
        url: `/api/sessions/${session.id}/commands`,
        headers: { authorization: `Bearer ${session.token}` },
        payload: body,
      });
    const step = (ms: number) =>
      server.app.inject({
        method: 'POST',
        url: `/api/sessions/${session.id}/clock`,
        headers: { authorization: `Bearer ${session.token}` },
        payload: { action: 'step', ms },
      });

    beforeAll(async () => {
      cli = await findCli(major, candidates);
      if ('missing' in cli) {
        if (REQUIRED) throw new Error(`EKS_SIM_REQUIRE_CLIENTS=1: ${cli.missing}`);
        console.log(`SKIP AWS CLI v${major} tests: ${cli.missing}`);
        return;
      }
      server = await startServer();
      session = (await server.app.inject({ method: 'POST', url: '/api/sessions', payload: { seed: 3 } })).json() as {
        id: string;
        token: string;
      };
      const sim = server.store.get(session.id)?.sim ?? server.defaultSession.sim;
      subnets = sim.domains.network.subnetsOfKind('public').map((s) => s.id);
    }, 120_000);
    afterAll(async () => server?.stop());

    it('node groups: create, list, describe, update-nodegroup-version, list-updates, delete', async (ctx) => {
      if ('missing' in cli) return ctx.skip();
      const created = await ok([
        'eks',
        'create-nodegroup',
        '--cluster-name',
        'myeks',
        '--nodegroup-name',
        'cli',
        '--subnets',
        ...subnets,
        '--node-role',
        'arn:aws:iam::111122223333:role/lab-node-role',
        '--scaling-config',
        'minSize=1,maxSize=2,desiredSize=1',
      ]);
      expect(created.nodegroup.status).toBe('CREATING');
      expect((await ok(['eks', 'list-nodegroups', '--cluster-name', 'myeks'])).nodegroups).toContain('cli');
      await step(10 * 60_000);
      const described = await ok(['eks', 'describe-nodegroup', '--cluster-name', 'myeks', '--nodegroup-name', 'cli']);
      expect(described.nodegroup.status).toBe('ACTIVE');

      // The control plane first (not what this test is about: through /api, to spare CLI runs).
      expect((await command({ type: 'cluster.update-version', version: '1.29' })).statusCode).toBe(200);
      await step(30 * 60_000);
      const update = await ok([
        'eks',
        'update-nodegroup-version',
        '--cluster-name',
        'myeks',
        '--nodegroup-name',
        'cli',
        '--kubernetes-version',
        '1.29',
      ]);
      expect(update.update).toMatchObject({ type: 'VersionUpdate', status: 'InProgress' });
      const listed = await ok(['eks', 'list-updates', '--name', 'myeks', '--nodegroup-name', 'cli']);
      expect(listed.updateIds).toEqual([update.update.id]);
      await step(60 * 60_000);
      expect(
        (await ok(['eks', 'delete-nodegroup', '--cluster-name', 'myeks', '--nodegroup-name', 'cli'])).nodegroup.status,
      ).toBe('DELETING');
    }, 300_000);

    it('add-ons: describe-addon-versions, describe-addon, create-addon, list-addons', async (ctx) => {
      if ('missing' in cli) return ctx.skip();
      const versions = await ok([
        'eks',
        'describe-addon-versions',
        '--addon-name',
        'vpc-cni',
        '--kubernetes-version',
        '1.29',
      ]);
      expect(versions.addons[0].addonName).toBe('vpc-cni');
      expect(versions.addons[0].addonVersions.length).toBeGreaterThan(0);
      const missing = await aws(['eks', 'describe-addon', '--cluster-name', 'myeks', '--addon-name', 'coredns']);
      // v2 adds "(reached max retries: 0)" after the operation's name.
      expect(missing.stderr).toMatch(
        /\(ResourceNotFoundException\) when calling the DescribeAddon operation.*: No addon: coredns found in cluster: myeks/,
      );
      await ok(['eks', 'create-addon', '--cluster-name', 'myeks', '--addon-name', 'coredns']);
      await step(2 * 60_000);
      expect((await ok(['eks', 'list-addons', '--cluster-name', 'myeks'])).addons).toEqual(['coredns']);
    }, 300_000);

    it('tags: tag-resource, untag-resource, list-tags-for-resource on the cluster ARN; an unknown operation is named', async (ctx) => {
      if ('missing' in cli) return ctx.skip();
      const arn = 'arn:aws:eks:ap-northeast-2:111122223333:cluster/myeks';
      await ok(['eks', 'tag-resource', '--resource-arn', arn, '--tags', 'course=week1,room=b']);
      await ok(['eks', 'untag-resource', '--resource-arn', arn, '--tag-keys', 'room']);
      expect((await ok(['eks', 'list-tags-for-resource', '--resource-arn', arn])).tags).toEqual({ course: 'week1' });
      const unknown = await aws(['eks', 'list-fargate-profiles', '--cluster-name', 'myeks']);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toContain('(UnknownOperationException) when calling the ListFargateProfiles operation');
    }, 300_000);
  });
}
