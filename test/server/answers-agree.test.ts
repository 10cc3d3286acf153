import {
  CreateClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  InvalidParameterException,
  ListNodegroupsCommand,
  ResourceNotFoundException,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './harness';

type Server = Awaited<ReturnType<typeof startServer>>;

/**
 * sim-core's answer layer gives every answer once; the server's AWS API and /k8s endpoint and
 * the shell's aws, eksctl and curl only format it. Each test asks two or more surfaces the same
 * question and expects one answer (they used to disagree on each of these).
 */
describe('one answer, whichever surface asks', () => {
  let server: Server;
  /** A second session whose cluster was deleted: CreateCluster can be asked there. */
  let blank: { id: string; token: string };
  const BOTH_OFF = 'Both private and public endpoint access cannot be false';

  const sdk = (session: { id: string; token: string }) =>
    new EKSClient({
      endpoint: server.base,
      region: 'ap-northeast-2',
      credentials: { accessKeyId: session.id, secretAccessKey: session.token },
      maxAttempts: 1,
    });
  const post = (session: { id: string; token: string }, path: string, payload: object) =>
    server.app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}${path}`,
      headers: { authorization: `Bearer ${session.token}` },
      payload,
    });
  const exec = async (session: { id: string; token: string }, line: string, from = 'bastion') =>
    (await post(session, '/exec', { line, from })).json() as { exitCode: number; stdout: string; stderr: string };
  const main = () => ({ id: 'default', token: server.defaultSession.token });
  /** DescribeCluster over the server's AWS API (reads need no valid signature; the key id names the session). */
  const describeOverApi = async (sessionId: string, name: string) =>
    (
      await server.app.inject({
        method: 'GET',
        url: `/clusters/${name}`,
        headers: {
          authorization: `AWS4-HMAC-SHA256 Credential=${sessionId}/20240310/ap-northeast-2/eks/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
          'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
        },
      })
    ).json().cluster;
  const subnetsOf = (sessionId: string) => server.store.get(sessionId)?.sim.domains.network.subnets ?? [];

  beforeAll(async () => {
    server = await startServer();
    blank = (await server.app.inject({ method: 'POST', url: '/api/sessions', payload: { seed: 7 } })).json();
    expect((await post(blank, '/commands', { type: 'cluster.delete', name: 'myeks' })).statusCode).toBe(200);
    expect((await post(blank, '/clock', { action: 'step', ms: 60 * 60_000 })).statusCode).toBe(200);
  });
  afterAll(async () => server.stop());

  /** The AWS CLI prints epoch-second timestamps as ISO dates; everything else is the same document. */
  const sameClusterDocument = (overApi: Record<string, unknown>, printed: Record<string, unknown>) => {
    expect(Date.parse(printed.createdAt as string)).toBe((overApi.createdAt as number) * 1000);
    expect({ ...printed, createdAt: 0 }).toEqual({ ...overApi, createdAt: 0 });
  };

  it('DescribeCluster of an ACTIVE cluster: the AWS API and `aws eks describe-cluster` give one document', async () => {
    const overApi = await describeOverApi('default', 'myeks');
    const shell = await exec(main(), 'aws eks describe-cluster --name myeks');
    expect(shell.exitCode, shell.stderr).toBe(0);
    sameClusterDocument(overApi, JSON.parse(shell.stdout).cluster);
    // What they used to disagree on: the service range from the VPC (192.168/16 → 10.100/16),
    // one CA bundle (a PEM block), the health field.
    expect(overApi.kubernetesNetworkConfig.serviceIpv4Cidr).toBe('10.100.0.0/16');
    expect(Buffer.from(overApi.certificateAuthority.data, 'base64').toString()).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(overApi.health).toEqual({ issues: [] });
  });

  it('DescribeNodegroup: the AWS SDK and `aws eks describe-nodegroup` give one document, and one refusal', async () => {
    const api = sdk(main());
    const listed = await api.send(new ListNodegroupsCommand({ clusterName: 'myeks' }));
    const shellList = await exec(main(), 'aws eks list-nodegroups --cluster-name myeks');
    expect(JSON.parse(shellList.stdout).nodegroups).toEqual(listed.nodegroups);
    expect(listed.nodegroups).toEqual(['myeks-nodegroup']);

    const overSdk = (
      await api.send(new DescribeNodegroupCommand({ clusterName: 'myeks', nodegroupName: 'myeks-nodegroup' }))
    ).nodegroup!;
    const shell = await exec(
      main(),
      'aws eks describe-nodegroup --cluster-name myeks --nodegroup-name myeks-nodegroup',
    );
    expect(shell.exitCode, shell.stderr).toBe(0);
    const printed = JSON.parse(shell.stdout).nodegroup;
    // The SDK turns the epoch seconds into Dates; the CLI prints them as ISO text.
    expect(Date.parse(printed.createdAt)).toBe(overSdk.createdAt!.getTime());
    expect({ ...printed, createdAt: 0, modifiedAt: 0 }).toEqual({ ...overSdk, createdAt: 0, modifiedAt: 0 });
    expect(overSdk).toMatchObject({
      status: 'ACTIVE',
      instanceTypes: ['t3.medium'],
      scalingConfig: { desiredSize: 2 },
    });
    expect(overSdk.nodegroupArn).toMatch(
      /^arn:aws:eks:ap-northeast-2:\d{12}:nodegroup\/myeks\/myeks-nodegroup\/[0-9a-f-]{36}$/,
    );

    const missing = await api
      .send(new DescribeNodegroupCommand({ clusterName: 'myeks', nodegroupName: 'ng-9' }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    const shellMissing = await exec(main(), 'aws eks describe-nodegroup --cluster-name myeks --nodegroup-name ng-9');
    expect(shellMissing.exitCode).not.toBe(0);
    expect(shellMissing.stderr).toContain(
      `(ResourceNotFoundException) when calling the DescribeNodegroup operation: ${(missing as Error).message}`,
    );
    expect((missing as Error).message).toBe('No node group found for name: ng-9.');
  });

  it('a CREATING cluster has no endpoint and an empty certificateAuthority on both surfaces', async () => {
    const [a, b] = subnetsOf(blank.id);
    const created = await exec(
      blank,
      `aws eks create-cluster --name fresh --role-arn arn:aws:iam::111122223333:role/eks --resources-vpc-config subnetIds=${a?.id},${b?.id}`,
    );
    expect(created.exitCode, created.stderr).toBe(0);
    const overApi = await describeOverApi(blank.id, 'fresh');
    expect(overApi.status).toBe('CREATING');
    expect(overApi).not.toHaveProperty('endpoint');
    expect(overApi.certificateAuthority).toEqual({});
    const shell = await exec(blank, 'aws eks describe-cluster --name fresh');
    sameClusterDocument(overApi, JSON.parse(shell.stdout).cluster);
    sameClusterDocument(overApi, JSON.parse(created.stdout).cluster);
    await post(blank, '/clock', { action: 'step', ms: 60 * 60_000 });
    expect((await post(blank, '/commands', { type: 'cluster.delete', name: 'fresh' })).statusCode).toBe(200);
    await post(blank, '/clock', { action: 'step', ms: 60 * 60_000 });
  });

  it('anonymous GETs: the /k8s endpoint and curl on the bastion get the same answers', async () => {
    const host = server.defaultSession.sim.domains.cluster.cluster?.endpoint.replace('https://', '') as string;
    const overK8s = async (path: string, headers: Record<string, string> = {}) => {
      const res = await server.app.inject({
        method: 'GET',
        url: `/k8s/default/myeks${path}`,
        headers: { 'x-eks-sim-from': 'bastion', ...headers },
      });
      return { code: res.statusCode, body: res.json() };
    };
    const overCurl = async (path: string, flags = '') => {
      const run = await exec(main(), `curl -sk ${flags} https://${host}${path}`);
      expect(run.exitCode, run.stderr).toBe(0);
      return JSON.parse(run.stdout);
    };
    const nodes = await overK8s('/api/v1/nodes');
    expect(nodes.code).toBe(403);
    expect(nodes.body.message).toBe(
      'nodes is forbidden: User "system:anonymous" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    expect(await overCurl('/api/v1/nodes')).toEqual(nodes.body);
    const root = await overK8s('/');
    expect(root.body.message).toBe('forbidden: User "system:anonymous" cannot get path "/"');
    expect(await overCurl('/')).toEqual(root.body);
    const version = await overK8s('/version');
    expect(version.code).toBe(200);
    expect(await overCurl('/version')).toEqual(version.body);
    const badToken = await overK8s('/api/v1/nodes', { authorization: 'Bearer abc' });
    expect(badToken).toMatchObject({ code: 401, body: { reason: 'Unauthorized' } });
    expect(await overCurl('/api/v1/nodes', "-H 'Authorization: Bearer abc'")).toEqual(badToken.body);
  });

  it('both endpoint accesses off: the AWS API, the shell’s aws, REST commands and scenarios refuse with EKS’s one message', async () => {
    // UpdateClusterConfig: the SDK against the server, and the shell's aws.
    const update = await sdk(main())
      .send(
        new UpdateClusterConfigCommand({
          name: 'myeks',
          resourcesVpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: false },
        }),
      )
      .catch((e: unknown) => e);
    expect(update).toBeInstanceOf(InvalidParameterException);
    expect((update as Error).message).toBe(BOTH_OFF);
    const shellUpdate = await exec(
      main(),
      'aws eks update-cluster-config --name myeks --resources-vpc-config endpointPublicAccess=false,endpointPrivateAccess=false',
    );
    expect(shellUpdate.stderr).toContain(
      `An error occurred (InvalidParameterException) when calling the UpdateClusterConfig operation: ${BOTH_OFF}`,
    );
    const rest = await post(main(), '/commands', { type: 'endpoint.update', public: false, private: false });
    expect(rest.json()).toEqual({ error: 'InvalidParameterException', message: BOTH_OFF });
    expect(rest.statusCode).toBe(400);

    // CreateCluster, where no cluster is: the SDK, the shell, a REST command.
    const [a, b] = subnetsOf(blank.id);
    const subnetIds = [a?.id as string, b?.id as string];
    const create = await sdk(blank)
      .send(
        new CreateClusterCommand({
          name: 'closed',
          roleArn: 'arn:aws:iam::111122223333:role/eks',
          resourcesVpcConfig: { subnetIds, endpointPublicAccess: false, endpointPrivateAccess: false },
        }),
      )
      .catch((e: unknown) => e);
    expect(create).toBeInstanceOf(InvalidParameterException);
    expect((create as Error).message).toBe(BOTH_OFF);
    const shellCreate = await exec(
      blank,
      `aws eks create-cluster --name closed --role-arn arn:aws:iam::111122223333:role/eks --resources-vpc-config subnetIds=${subnetIds.join(',')},endpointPublicAccess=false,endpointPrivateAccess=false`,
    );
    expect(shellCreate.stderr).toContain(
      `An error occurred (InvalidParameterException) when calling the CreateCluster operation: ${BOTH_OFF}`,
    );
    const restCreate = await post(blank, '/commands', {
      type: 'cluster.create',
      name: 'closed',
      version: '1.28',
      endpointPublicAccess: false,
    });
    expect(restCreate.json()).toEqual({ error: 'InvalidParameterException', message: BOTH_OFF });
    expect(server.store.get(blank.id)?.sim.domains.cluster.cluster).toBeNull();

    // A scenario can neither start with such a cluster nor create one on its timeline.
    for (const scenarioText of [
      'extends: seed-week1\ncluster:\n  endpointPublicAccess: false\n  endpointPrivateAccess: false\n',
      "extends: seed-lab\ntimeline:\n  - at: 1m\n    command: { type: cluster.create, name: myeks, version: '1.28', endpointPublicAccess: false }\n",
    ]) {
      const refused = await server.app.inject({ method: 'POST', url: '/api/sessions', payload: { scenarioText } });
      expect(refused.statusCode, scenarioText).toBe(400);
      expect(JSON.stringify(refused.json())).toContain(BOTH_OFF);
    }

    // eksctl refuses before asking EKS, in its own words (eksctl's ErrClusterEndpointNoAccess); nothing changes.
    const eksctl = await exec(
      main(),
      'eksctl utils update-cluster-vpc-config --cluster=myeks --private-access=false --public-access=false --approve',
    );
    expect(eksctl.stderr).toContain(
      'Kubernetes API access must have one of public or private clusterEndpoints enabled',
    );
    expect(server.defaultSession.sim.domains.cluster.cluster?.updates).toEqual([]);
  });

  it('bad publicAccessCidrs and single-AZ subnets: refused alike by the AWS API and the shell’s aws', async () => {
    const cidrs = 'The following CIDRs are invalid in publicAccessCidrs: [10.0.0.0/33]';
    const update = await sdk(main())
      .send(
        new UpdateClusterConfigCommand({ name: 'myeks', resourcesVpcConfig: { publicAccessCidrs: ['10.0.0.0/33'] } }),
      )
      .catch((e: unknown) => e);
    expect((update as Error).message).toBe(cidrs);
    const shell = await exec(
      main(),
      "aws eks update-cluster-config --name myeks --resources-vpc-config 'publicAccessCidrs=[10.0.0.0/33]'",
    );
    expect(shell.stderr).toContain(`when calling the UpdateClusterConfig operation: ${cidrs}`);

    const oneAz = 'Subnets specified must be in at least two different AZs';
    const subnet = subnetsOf(blank.id)[0]?.id as string;
    const create = await sdk(blank)
      .send(
        new CreateClusterCommand({
          name: 'narrow',
          roleArn: 'arn:aws:iam::111122223333:role/eks',
          resourcesVpcConfig: { subnetIds: [subnet] },
        }),
      )
      .catch((e: unknown) => e);
    expect((create as Error).message).toBe(oneAz);
    const shellCreate = await exec(
      blank,
      `aws eks create-cluster --name narrow --role-arn arn:aws:iam::111122223333:role/eks --resources-vpc-config subnetIds=${subnet}`,
    );
    expect(shellCreate.stderr).toContain(`when calling the CreateCluster operation: ${oneAz}`);
  });
});
