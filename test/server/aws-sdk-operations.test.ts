import {
  BadRequestException,
  CreateAddonCommand,
  CreateNodegroupCommand,
  DeleteAddonCommand,
  DeleteNodegroupCommand,
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  EKSClient,
  InvalidParameterException,
  ListAddonsCommand,
  ListNodegroupsCommand,
  ListTagsForResourceCommand,
  ListUpdatesCommand,
  NotFoundException,
  ResourceInUseException,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateClusterVersionCommand,
  UpdateNodegroupVersionCommand,
} from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './harness';

type Server = Awaited<ReturnType<typeof startServer>>;

/** The EKS operations of a student's workflow (docs/api.md), through the SDK, on the default session (seed-week1, 2024-03-10). */
describe('node groups, add-ons, updates and tags through @aws-sdk/client-eks', () => {
  let server: Server;
  let teacher: EKSClient;
  let student: EKSClient;
  const clusterName = 'myeks';

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
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined).catch((e: unknown) => e as Error);
  const nodesOf = (name: string) =>
    server.defaultSession.sim.domains.nodegroups.all.find((g) => g.name === name)?.nodes.length;

  beforeAll(async () => {
    server = await startServer();
    teacher = client('default', server.defaultSession.token);
    student = client('AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  });
  afterAll(async () => server.stop());

  it('CreateNodegroup launches nodes the model sees; ListNodegroups and DescribeNodegroup follow it to ACTIVE', async () => {
    const subnets = server.defaultSession.sim.domains.network.subnetsOfKind('public').map((s) => s.id);
    const { nodegroup } = await teacher.send(
      new CreateNodegroupCommand({
        clusterName,
        nodegroupName: 'extra',
        subnets,
        nodeRole: 'arn:aws:iam::111122223333:role/lab-node-role',
        scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 3 },
        instanceTypes: ['t3.large'],
        tags: { team: 'lab' },
      }),
    );
    expect(nodegroup?.status).toBe('CREATING');
    expect(nodegroup?.nodegroupArn).toMatch(
      /^arn:aws:eks:ap-northeast-2:111122223333:nodegroup\/myeks\/extra\/[0-9a-f-]{36}$/,
    );
    expect(nodegroup?.tags).toEqual({ team: 'lab' });
    expect(nodesOf('extra')).toBe(3);
    expect((await student.send(new ListNodegroupsCommand({ clusterName }))).nodegroups).toContain('extra');
    await step(10 * 60_000);
    const described = await student.send(new DescribeNodegroupCommand({ clusterName, nodegroupName: 'extra' }));
    expect(described.nodegroup?.status).toBe('ACTIVE');
    expect(described.nodegroup?.instanceTypes).toEqual(['t3.large']);
    expect(described.nodegroup?.scalingConfig).toEqual({ minSize: 1, maxSize: 3, desiredSize: 3 });
    expect(described.nodegroup?.nodeRole).toBe('arn:aws:iam::111122223333:role/lab-node-role');
  });

  it('CreateNodegroup refuses a name in use, a subnet the VPC lacks, and sizes out of order, in EKS words', async () => {
    const subnets = server.defaultSession.sim.domains.network.subnetsOfKind('public').map((s) => s.id);
    const nodeRole = 'arn:aws:iam::111122223333:role/lab-node-role';
    const again = await failure(
      teacher.send(new CreateNodegroupCommand({ clusterName, nodegroupName: 'extra', subnets, nodeRole })),
    );
    expect(again).toBeInstanceOf(ResourceInUseException);
    expect(again?.message).toBe('NodeGroup already exists with name extra and cluster name myeks');
    const badSubnet = await failure(
      teacher.send(
        new CreateNodegroupCommand({
          clusterName,
          nodegroupName: 'x',
          subnets: ['subnet-0000000000000dead'],
          nodeRole,
        }),
      ),
    );
    expect(badSubnet).toBeInstanceOf(InvalidParameterException);
    expect(badSubnet?.message).toContain("The subnet ID 'subnet-0000000000000dead' does not exist");
    const sizes = await failure(
      teacher.send(
        new CreateNodegroupCommand({
          clusterName,
          nodegroupName: 'x',
          subnets,
          nodeRole,
          scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 3 },
        }),
      ),
    );
    expect(sizes).toBeInstanceOf(InvalidParameterException);
    expect(sizes?.message).toBe("Desired capacity 3 can't be greater than max size 2");
    expect(server.defaultSession.sim.domains.nodegroups.find('x')).toBeUndefined();
    const student403 = await failure(
      student.send(new CreateNodegroupCommand({ clusterName, nodegroupName: 'y', subnets, nodeRole })),
    );
    expect(student403?.name).toBe('AccessDeniedException');
  });

  it('TagResource, UntagResource and ListTagsForResource work on the cluster’s and a node group’s ARN', async () => {
    const { nodegroup } = await student.send(new DescribeNodegroupCommand({ clusterName, nodegroupName: 'extra' }));
    const groupArn = nodegroup?.nodegroupArn as string;
    await teacher.send(new TagResourceCommand({ resourceArn: groupArn, tags: { cost: 'week1', team: 'ops' } }));
    expect((await student.send(new ListTagsForResourceCommand({ resourceArn: groupArn }))).tags).toEqual({
      team: 'ops',
      cost: 'week1',
    });
    await teacher.send(new UntagResourceCommand({ resourceArn: groupArn, tagKeys: ['team'] }));
    expect((await student.send(new ListTagsForResourceCommand({ resourceArn: groupArn }))).tags).toEqual({
      cost: 'week1',
    });

    const clusterArn = 'arn:aws:eks:ap-northeast-2:111122223333:cluster/myeks';
    await teacher.send(new TagResourceCommand({ resourceArn: clusterArn, tags: { owner: 'study-group' } }));
    expect((await student.send(new ListTagsForResourceCommand({ resourceArn: clusterArn }))).tags).toMatchObject({
      owner: 'study-group',
    });
    const log = server.defaultSession.sim.events(0).map((e) => e.type);
    expect(log).toEqual(expect.arrayContaining(['nodegroup.tagged', 'nodegroup.untagged', 'cluster.tagged']));

    const elsewhere = await failure(
      student.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:eks:us-east-1:111122223333:cluster/myeks' })),
    );
    expect(elsewhere).toBeInstanceOf(NotFoundException);
    const notAnArn = await failure(student.send(new ListTagsForResourceCommand({ resourceArn: 'myeks' })));
    expect(notAnArn).toBeInstanceOf(BadRequestException);
  });

  it('DescribeAddonVersions lists only builds released by the simulated date, with the default marked', async () => {
    const { addons } = await student.send(
      new DescribeAddonVersionsCommand({ addonName: 'vpc-cni', kubernetesVersion: '1.28' }),
    );
    const versions = addons?.[0]?.addonVersions?.map((v) => v.addonVersion ?? '') ?? [];
    // 2024-03-10: v1.16.4 (March 2024) is out, v1.18 (May 2024) is not.
    expect(versions[0]).toBe('v1.16.4-eksbuild.2');
    expect(versions.some((v) => v.startsWith('v1.18'))).toBe(false);
    const defaults = addons?.[0]?.addonVersions?.filter((v) => v.compatibilities?.[0]?.defaultVersion);
    expect(defaults?.map((v) => v.addonVersion)).toEqual(['v1.15.1-eksbuild.1']);
    const all = await student.send(new DescribeAddonVersionsCommand({ kubernetesVersion: '1.28' }));
    expect(all.addons?.map((a) => a.addonName).sort()).toEqual([
      'coredns',
      'eks-pod-identity-agent',
      'kube-proxy',
      'vpc-cni',
    ]);
    const kubeProxy = all.addons?.find((a) => a.addonName === 'kube-proxy');
    expect(kubeProxy?.addonVersions?.every((v) => v.addonVersion?.startsWith('v1.28.'))).toBe(true);
  });

  it('ListAddons is empty (self-managed add-ons); CreateAddon installs one, DescribeAddon follows it, DeleteAddon removes it', async () => {
    expect((await student.send(new ListAddonsCommand({ clusterName }))).addons).toEqual([]);
    const missing = await failure(student.send(new DescribeAddonCommand({ clusterName, addonName: 'vpc-cni' })));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing?.message).toBe('No addon: vpc-cni found in cluster: myeks');
    const { addon } = await teacher.send(new CreateAddonCommand({ clusterName, addonName: 'eks-pod-identity-agent' }));
    expect(addon).toMatchObject({ status: 'CREATING', addonVersion: 'v1.2.0-eksbuild.1' });
    const unknownVersion = await failure(
      teacher.send(new CreateAddonCommand({ clusterName, addonName: 'coredns', addonVersion: 'v1.11.1-eksbuild.4' })),
    );
    expect(unknownVersion).toBeInstanceOf(InvalidParameterException);
    await step(2 * 60_000);
    const active = await student.send(new DescribeAddonCommand({ clusterName, addonName: 'eks-pod-identity-agent' }));
    expect(active.addon?.status).toBe('ACTIVE');
    expect((await student.send(new ListAddonsCommand({ clusterName }))).addons).toEqual(['eks-pod-identity-agent']);
    await teacher.send(
      new TagResourceCommand({ resourceArn: active.addon?.addonArn as string, tags: { purpose: 'pod-identity' } }),
    );
    expect(
      (await student.send(new ListTagsForResourceCommand({ resourceArn: active.addon?.addonArn as string }))).tags,
    ).toEqual({ purpose: 'pod-identity' });
    expect(
      (await teacher.send(new DeleteAddonCommand({ clusterName, addonName: 'eks-pod-identity-agent' }))).addon?.status,
    ).toBe('DELETING');
    await step(2 * 60_000);
    expect((await student.send(new ListAddonsCommand({ clusterName }))).addons).toEqual([]);
  });

  it('UpdateNodegroupVersion rolls the group to the cluster’s version; ListUpdates and DescribeUpdate follow it', async () => {
    const cluster = await teacher.send(new UpdateClusterVersionCommand({ name: clusterName, version: '1.29' }));
    await step(30 * 60_000);
    const clusterUpdates = await student.send(new ListUpdatesCommand({ name: clusterName }));
    expect(clusterUpdates.updateIds).toContain(cluster.update?.id);
    const { update } = await teacher.send(
      new UpdateNodegroupVersionCommand({ clusterName, nodegroupName: 'extra', version: '1.29' }),
    );
    expect(update).toMatchObject({ type: 'VersionUpdate', status: 'InProgress' });
    expect(update?.params).toEqual([{ type: 'Version', value: '1.29' }]);
    const listed = await student.send(new ListUpdatesCommand({ name: clusterName, nodegroupName: 'extra' }));
    expect(listed.updateIds).toEqual([update?.id]);
    await step(90 * 60_000);
    const done = await student.send(
      new DescribeUpdateCommand({ name: clusterName, nodegroupName: 'extra', updateId: update?.id as string }),
    );
    expect(done.update?.status).toBe('Successful');
    const group = await student.send(new DescribeNodegroupCommand({ clusterName, nodegroupName: 'extra' }));
    expect(group.nodegroup?.version).toBe('1.29');
  });

  it('DeleteNodegroup drains the group and it disappears from the model; a second delete is refused', async () => {
    const { nodegroup } = await teacher.send(new DeleteNodegroupCommand({ clusterName, nodegroupName: 'extra' }));
    expect(nodegroup?.status).toBe('DELETING');
    const twice = await failure(teacher.send(new DeleteNodegroupCommand({ clusterName, nodegroupName: 'extra' })));
    expect(twice).toBeInstanceOf(ResourceInUseException);
    await step(10 * 60_000);
    expect(server.defaultSession.sim.domains.nodegroups.find('extra')).toBeUndefined();
    const gone = await failure(student.send(new DescribeNodegroupCommand({ clusterName, nodegroupName: 'extra' })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(gone?.message).toBe('No node group found for name: extra.');
  });
});
