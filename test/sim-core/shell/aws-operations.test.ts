import { createSimulation, type Simulation, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

const week1 = () => createSimulation(scenarios['seed-week1']);
const json = (sim: Simulation, line: string) => {
  const r = sim.exec(line);
  expect(r.exitCode, `${line}\n${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
};

describe('the simulated aws answers node groups, add-ons, tags and updates from the answer layer', () => {
  it('create-nodegroup and delete-nodegroup drive the node groups the model holds; the waiters follow them', () => {
    const sim = week1();
    const subnets = sim.domains.network.subnetsOfKind('public').map((s) => s.id);
    const created = json(
      sim,
      `aws eks create-nodegroup --cluster-name myeks --nodegroup-name extra --subnets ${subnets.join(' ')} --node-role arn:aws:iam::111122223333:role/lab-node-role --scaling-config minSize=1,maxSize=2,desiredSize=1 --tags team=lab`,
    );
    expect(created.nodegroup).toMatchObject({ nodegroupName: 'extra', status: 'CREATING', tags: { team: 'lab' } });
    expect(created.nodegroup.createdAt).toMatch(/^2024-03-10T/);
    expect(sim.exec('aws eks wait nodegroup-active --cluster-name myeks --nodegroup-name extra').exitCode).toBe(0);
    expect(sim.domains.nodegroups.find('extra')?.status).toBe('ACTIVE');
    expect(json(sim, 'aws eks list-nodegroups --cluster-name myeks').nodegroups).toContain('extra');

    const deleting = json(sim, 'aws eks delete-nodegroup --cluster-name myeks --nodegroup-name extra');
    expect(deleting.nodegroup.status).toBe('DELETING');
    expect(sim.exec('aws eks wait nodegroup-deleted --cluster-name myeks --nodegroup-name extra').exitCode).toBe(0);
    expect(sim.domains.nodegroups.find('extra')).toBeUndefined();
    const gone = sim.exec('aws eks describe-nodegroup --cluster-name myeks --nodegroup-name extra');
    expect(gone.exitCode).toBe(254);
    expect(gone.stderr).toContain('(ResourceNotFoundException) when calling the DescribeNodegroup operation');
  });

  it('the same answers as the server: add-on versions by date, add-ons, tags', () => {
    const sim = week1();
    const versions = json(
      sim,
      'aws eks describe-addon-versions --addon-name coredns --kubernetes-version 1.28 --query addons[0].addonVersions[].addonVersion --output json',
    );
    expect(versions).toEqual(['v1.10.1-eksbuild.7', 'v1.10.1-eksbuild.4']);
    expect(json(sim, 'aws eks list-addons --cluster-name myeks').addons).toEqual([]);
    const missing = sim.exec('aws eks describe-addon --cluster-name myeks --addon-name vpc-cni');
    expect(missing.stderr).toContain('No addon: vpc-cni found in cluster: myeks');
    json(sim, 'aws eks create-addon --cluster-name myeks --addon-name kube-proxy');
    sim.exec('sleep 2m');
    expect(json(sim, 'aws eks describe-addon --cluster-name myeks --addon-name kube-proxy').addon).toMatchObject({
      status: 'ACTIVE',
      addonVersion: 'v1.28.6-eksbuild.2',
    });

    const arn = 'arn:aws:eks:ap-northeast-2:111122223333:cluster/myeks';
    expect(sim.exec(`aws eks tag-resource --resource-arn ${arn} --tags course=week1,room=b`).exitCode).toBe(0);
    expect(sim.exec(`aws eks untag-resource --resource-arn ${arn} --tag-keys room`).exitCode).toBe(0);
    expect(json(sim, `aws eks list-tags-for-resource --resource-arn ${arn}`).tags).toMatchObject({ course: 'week1' });
    expect(json(sim, `aws eks list-tags-for-resource --resource-arn ${arn}`).tags.room).toBeUndefined();
    expect(json(sim, 'aws eks describe-cluster --name myeks').cluster.tags).toMatchObject({ course: 'week1' });
  });

  it('another region holds no cluster: ResourceNotFoundException for describe, empty lists, by flag or AWS_DEFAULT_REGION', () => {
    const sim = week1();
    const describe = sim.exec('aws eks describe-cluster --name myeks --region us-east-1');
    expect(describe.exitCode).toBe(254);
    expect(describe.stderr).toBe(
      '\nAn error occurred (ResourceNotFoundException) when calling the DescribeCluster operation: No cluster found for name: myeks.\n',
    );
    expect(json(sim, 'aws eks list-clusters --region us-east-1').clusters).toEqual([]);
    sim.exec('export AWS_DEFAULT_REGION=us-east-1');
    const byEnv = sim.exec('aws eks list-nodegroups --cluster-name myeks');
    expect(byEnv.exitCode).toBe(254);
    expect(byEnv.stderr).toContain('ResourceNotFoundException');
    expect(json(sim, 'aws ec2 describe-network-interfaces').NetworkInterfaces).toEqual([]);
    sim.exec('export AWS_DEFAULT_REGION=ap-northeast-2');
    expect(json(sim, 'aws eks list-clusters').clusters).toEqual(['myeks']);
    const stack = sim.exec('aws cloudformation describe-stacks --stack-name eksctl-myeks-cluster --region us-east-1');
    expect(stack.exitCode).toBe(254);
    expect(stack.stderr).toContain('Stack with id eksctl-myeks-cluster does not exist');
  });

  it('describe-network-interfaces shows the EKS-owned ENIs ("Amazon EKS myeks") and the nodes’ ENIs', () => {
    const sim = week1();
    const eks = json(
      sim,
      'aws ec2 describe-network-interfaces --filters Name=description,Values="Amazon EKS myeks"',
    ).NetworkInterfaces;
    const modelEnis = sim.domains.network.view().enis;
    expect(eks.map((e: { NetworkInterfaceId: string }) => e.NetworkInterfaceId).sort()).toEqual(
      modelEnis.map((e) => e.id).sort(),
    );
    const clusterSg = sim.snapshot().cluster?.resourcesVpcConfig.clusterSecurityGroupId;
    for (const eni of eks) {
      expect(eni.Description).toBe('Amazon EKS myeks');
      expect(eni.Groups.map((g: { GroupId: string }) => g.GroupId)).toContain(clusterSg);
      expect(eni.Attachment.InstanceOwnerId).not.toBe('111122223333');
    }
    const nodes = sim.domains.nodegroups.all.flatMap((g) => g.nodes);
    const node = nodes[0];
    const ofNode = json(
      sim,
      `aws ec2 describe-network-interfaces --filters Name=attachment.instance-id,Values=${node?.instanceId}`,
    ).NetworkInterfaces;
    expect(ofNode).toHaveLength(1);
    expect(ofNode[0].PrivateIpAddress).toBe(node?.privateIp);
    const all = json(sim, 'aws ec2 describe-network-interfaces').NetworkInterfaces;
    expect(all).toHaveLength(modelEnis.length + nodes.length);
  });
});

describe('the lab’s way out after the lockout: deleting from the console', () => {
  it('with the endpoint private and kubectl locked out, delete-nodegroup then the cluster stack delete everything', () => {
    const sim = week1();
    sim.exec(
      'aws eks update-cluster-config --name myeks --resources-vpc-config endpointPublicAccess=false,endpointPrivateAccess=true',
    );
    sim.exec('sleep 30m');
    expect(sim.exec('kubectl get nodes').exitCode).not.toBe(0);
    const refused = sim.exec('aws eks delete-cluster --name myeks');
    expect(refused.stderr).toContain(
      '(ResourceInUseException) when calling the DeleteCluster operation: Cluster has nodegroups attached',
    );

    const group = sim.domains.nodegroups.all[0]?.name as string;
    expect(sim.exec(`aws eks delete-nodegroup --cluster-name myeks --nodegroup-name ${group}`).exitCode).toBe(0);
    expect(sim.exec(`aws eks wait nodegroup-deleted --cluster-name myeks --nodegroup-name ${group}`).exitCode).toBe(0);
    const stacks = json(sim, 'aws cloudformation describe-stacks --query Stacks[].StackName');
    expect(stacks).toContain('eksctl-myeks-cluster');
    const deleted = sim.exec('aws cloudformation delete-stack --stack-name eksctl-myeks-cluster');
    expect(deleted).toMatchObject({ exitCode: 0, stdout: '' });
    expect(sim.exec('aws cloudformation wait stack-delete-complete --stack-name eksctl-myeks-cluster').exitCode).toBe(
      0,
    );
    expect(json(sim, 'aws eks list-clusters').clusters).toEqual([]);
    expect(sim.exec('aws cloudformation delete-stack --stack-name eksctl-myeks-cluster').exitCode).toBe(0);
  });
});
