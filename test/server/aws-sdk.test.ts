import {
  CreateClusterCommand,
  DeleteClusterCommand,
  DeleteNodegroupCommand,
  DescribeClusterCommand,
  DescribeUpdateCommand,
  EKSClient,
  InvalidParameterException,
  ListClustersCommand,
  ListNodegroupsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateClusterConfigCommand,
  UpdateClusterVersionCommand,
} from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './harness';

type Server = Awaited<ReturnType<typeof startServer>>;

describe('EKS-compatible AWS API with @aws-sdk/client-eks, unmodified', () => {
  let server: Server;
  let teacher: EKSClient;
  let student: EKSClient;

  const client = (accessKeyId: string, secretAccessKey: string) =>
    new EKSClient({
      endpoint: server.base,
      region: 'ap-northeast-2',
      credentials: { accessKeyId, secretAccessKey },
      maxAttempts: 1,
    });
  const step = (ms: number) =>
    server.app.inject({
      method: 'POST',
      url: '/api/sessions/default/clock',
      headers: { authorization: `Bearer ${server.defaultSession.token}` },
      payload: { action: 'step', ms },
    });

  beforeAll(async () => {
    server = await startServer();
    teacher = client('default', server.defaultSession.token);
    student = client('AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  });
  afterAll(async () => server.stop());

  it('ListClusters and DescribeCluster show the session’s cluster in the AWS shape', async () => {
    expect((await student.send(new ListClustersCommand({}))).clusters).toEqual(['myeks']);
    const { cluster } = await student.send(new DescribeClusterCommand({ name: 'myeks' }));
    expect(cluster?.status).toBe('ACTIVE');
    expect(cluster?.version).toBe('1.28');
    expect(cluster?.arn).toMatch(/^arn:aws:eks:ap-northeast-2:\d{12}:cluster\/myeks$/);
    expect(cluster?.endpoint).toMatch(/^https:\/\/[0-9A-F]{32}\.gr7\.ap-northeast-2\.eks\.amazonaws\.com$/);
    expect(cluster?.createdAt).toBeInstanceOf(Date);
    expect(cluster?.resourcesVpcConfig?.endpointPublicAccess).toBe(true);
    expect(cluster?.resourcesVpcConfig?.clusterSecurityGroupId).toMatch(/^sg-/);
  });

  it('DescribeCluster of an unknown name throws ResourceNotFoundException with the AWS message', async () => {
    const error = await student.send(new DescribeClusterCommand({ name: 'nope' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toBe('No cluster found for name: nope.');
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  it('a caller without the session’s control token as secret key may read but not change it', async () => {
    const error = await student
      .send(
        new UpdateClusterConfigCommand({
          name: 'myeks',
          resourcesVpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false },
        }),
      )
      .catch((e: unknown) => e);
    expect((error as { name: string }).name).toBe('AccessDeniedException');
    expect((error as Error).message).toContain('control token');
    const { cluster } = await student.send(new DescribeClusterCommand({ name: 'myeks' }));
    expect(cluster?.resourcesVpcConfig?.endpointPrivateAccess).toBe(false);
  });

  it('UpdateClusterConfig makes the endpoint private; DescribeUpdate follows it to Successful', async () => {
    const { update } = await teacher.send(
      new UpdateClusterConfigCommand({
        name: 'myeks',
        resourcesVpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false },
      }),
    );
    expect(update?.type).toBe('EndpointAccessUpdate');
    expect(update?.status).toBe('InProgress');
    expect(update?.params?.map((p) => p.type)).toContain('EndpointPrivateAccess');
    expect((await student.send(new DescribeClusterCommand({ name: 'myeks' }))).cluster?.status).toBe('UPDATING');
    // One update at a time, as EKS says.
    const busy = await teacher
      .send(new UpdateClusterVersionCommand({ name: 'myeks', version: '1.29' }))
      .catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(ResourceInUseException);
    await step(60 * 60_000);
    const done = await student.send(new DescribeUpdateCommand({ name: 'myeks', updateId: update?.id as string }));
    expect(done.update?.status).toBe('Successful');
    const { cluster } = await student.send(new DescribeClusterCommand({ name: 'myeks' }));
    expect(cluster?.resourcesVpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: false });
  });

  it('UpdateClusterVersion refuses to skip a minor version (InvalidParameterException)', async () => {
    const error = await teacher
      .send(new UpdateClusterVersionCommand({ name: 'myeks', version: '1.30' }))
      .catch((e: unknown) => e);
    expect((error as { name: string }).name).toBe('InvalidParameterException');
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
  });

  it('DescribeUpdate of an unknown id is ResourceNotFoundException', async () => {
    const error = await student
      .send(new DescribeUpdateCommand({ name: 'myeks', updateId: '00000000-0000-4000-8000-000000000000' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });

  it('DeleteCluster then CreateCluster: refused while a node group is left, then DELETING, gone, then CREATING and ACTIVE', async () => {
    const attached = await teacher.send(new DeleteClusterCommand({ name: 'myeks' })).catch((e: unknown) => e);
    expect(attached).toBeInstanceOf(ResourceInUseException);
    expect((attached as Error).message).toBe('Cluster has nodegroups attached');
    const { nodegroups } = await student.send(new ListNodegroupsCommand({ clusterName: 'myeks' }));
    for (const nodegroupName of nodegroups ?? []) {
      await teacher.send(new DeleteNodegroupCommand({ clusterName: 'myeks', nodegroupName }));
    }
    await step(10 * 60_000);
    const deleting = await teacher.send(new DeleteClusterCommand({ name: 'myeks' }));
    expect(deleting.cluster?.status).toBe('DELETING');
    await step(60 * 60_000);
    expect((await student.send(new ListClustersCommand({}))).clusters).toEqual([]);
    // EKS places the control plane's ENIs in the subnets given: two AZs at least.
    const subnetIds = server.defaultSession.sim.domains.network.subnets.slice(0, 2).map((s) => s.id);
    const created = await teacher.send(
      new CreateClusterCommand({
        name: 'sdk-made',
        version: '1.29',
        roleArn: 'arn:aws:iam::111122223333:role/eks-cluster-role',
        resourcesVpcConfig: { subnetIds, endpointPublicAccess: true },
      }),
    );
    expect(created.cluster?.status).toBe('CREATING');
    expect(created.cluster?.name).toBe('sdk-made');
    const again = await teacher
      .send(
        new CreateClusterCommand({
          name: 'sdk-made',
          roleArn: 'arn:aws:iam::111122223333:role/eks-cluster-role',
          resourcesVpcConfig: {},
        }),
      )
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ResourceInUseException);
    await step(60 * 60_000);
    expect((await student.send(new DescribeClusterCommand({ name: 'sdk-made' }))).cluster?.status).toBe('ACTIVE');
  });

  it('the access key id names the session a call acts on', async () => {
    const created = (
      await server.app.inject({ method: 'POST', url: '/api/sessions', payload: { seed: 5 } })
    ).json() as {
      id: string;
      token: string;
    };
    const other = client(created.id, 'anything');
    expect((await other.send(new ListClustersCommand({}))).clusters).toEqual(['myeks']);
    expect((await student.send(new ListClustersCommand({}))).clusters).toEqual(['sdk-made']);
  });

  it('CreateCluster keeps roleArn, tags and subnetIds, and refuses a subnet the VPC does not have', async () => {
    await teacher.send(new DeleteClusterCommand({ name: 'sdk-made' }));
    await step(60 * 60_000);
    const refused = await teacher
      .send(
        new CreateClusterCommand({
          name: 'tagged',
          roleArn: 'arn:aws:iam::111122223333:role/eks-cluster-role',
          resourcesVpcConfig: { subnetIds: ['subnet-0000000000000dead'] },
        }),
      )
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidParameterException);
    expect((refused as Error).message).toContain("The subnet ID 'subnet-0000000000000dead' does not exist");
    expect((await student.send(new ListClustersCommand({}))).clusters).toEqual([]);

    const subnetIds = server.defaultSession.sim.domains.network.subnets.slice(0, 2).map((s) => s.id);
    expect(subnetIds).toHaveLength(2);
    await teacher.send(
      new CreateClusterCommand({
        name: 'tagged',
        roleArn: 'arn:aws:iam::111122223333:role/eks-cluster-role',
        resourcesVpcConfig: { subnetIds },
        tags: { team: 'platform', env: 'lab' },
      }),
    );
    const described = (await student.send(new DescribeClusterCommand({ name: 'tagged' }))).cluster;
    expect(described?.roleArn).toBe('arn:aws:iam::111122223333:role/eks-cluster-role');
    expect(described?.tags).toEqual({ team: 'platform', env: 'lab' });
    expect(described?.resourcesVpcConfig?.subnetIds).toEqual(subnetIds);
  });

  it('a request signed more than 15 minutes from the server clock is 403 InvalidSignatureException, in AWS words', async () => {
    const skewed = new EKSClient({
      endpoint: server.base,
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'default', secretAccessKey: server.defaultSession.token },
      maxAttempts: 1,
      systemClockOffset: -20 * 60_000,
    });
    const expired = await skewed.send(new ListClustersCommand({})).catch((e: unknown) => e);
    expect((expired as Error).name).toBe('InvalidSignatureException');
    expect((expired as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(403);
    expect((expired as Error).message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );

    const res = await server.app.inject({
      method: 'POST',
      url: '/clusters/myeks/updates',
      headers: {
        'content-type': 'application/json',
        'x-amz-date': '20000101T000000Z',
        authorization: `AWS4-HMAC-SHA256 Credential=default/20000101/ap-northeast-2/eks/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      },
      payload: { version: '1.29' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    expect(res.json().message).toMatch(/^Signature expired: 20000101T000000Z is now earlier than /);

    const early = new EKSClient({
      endpoint: server.base,
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'default', secretAccessKey: server.defaultSession.token },
      maxAttempts: 1,
      systemClockOffset: 20 * 60_000,
    });
    const future = await early.send(new ListClustersCommand({})).catch((e: unknown) => e);
    expect((future as Error).message).toMatch(/^Signature not yet current: \d{8}T\d{6}Z is still later than /);
  });
});
