import type { Lesson, LessonStep } from '../input/scenario';

/**
 * The seed's lab as a lesson: what the author typed on the work EC2 `myeks-host`,
 * in order, with what to say about it. `seedLabLesson` starts from the lab network alone and
 * creates the cluster (scenario `seed-lab`); `seedWeek1Lesson` is the same walk-through for
 * scenario `seed-week1`, whose cluster already exists, so its creation step only shows the
 * stacks.
 */

/** The seed's exact command, with its line continuation. */
export const SEED_CREATE_CLUSTER =
  'eksctl create cluster --name $CLUSTER_NAME --region=$AWS_DEFAULT_REGION --nodegroup-name=$CLUSTER_NAME-nodegroup --node-type=t3.medium \\\n' +
  '--node-volume-size=30 --vpc-public-subnets "$PubSubnet1,$PubSubnet2" --version 1.28 --ssh-access --external-dns-access --verbose 4';

/** The switch the author made at the end. */
export const SEED_GO_PRIVATE =
  'eksctl utils update-cluster-vpc-config --cluster=$CLUSTER_NAME --private-access=true --public-access=false --approve';

const SHOW_STACKS = "aws cloudformation describe-stacks --query 'Stacks[].[StackName,StackStatus]' --output text";

const variables: LessonStep = {
  title: 'Set the variables',
  text: 'The lab network was made beforehand with CloudFormation: one VPC, 2 AZs, 2 public and 2 private subnets, and the work EC2 myeks-host in myeks-PublicSubnet1 with kubectl, eksctl and aws installed. The author exported the region, the cluster name and the ids of the VPC and subnets; the simulated bastion has them already.',
  shell: ['echo $AWS_DEFAULT_REGION', 'echo $CLUSTER_NAME', 'echo $VPCID', 'echo $PubSubnet1,$PubSubnet2'],
};

const create: LessonStep = {
  title: 'Create the cluster with eksctl',
  text: "The study group's exact command: a 1.28 cluster with a managed node group of t3.medium nodes (30 GiB volumes) in the two public subnets, SSH from the work EC2 allowed (--ssh-access) and an IAM policy for ExternalDNS (--external-dns-access). eksctl drives CloudFormation: first the stack eksctl-myeks-cluster (the control plane takes most of the time), then eksctl-myeks-nodegroup-myeks-nodegroup. It blocks for 10-15 simulated minutes and logs as it goes.",
  shell: [SEED_CREATE_CLUSTER, SHOW_STACKS],
};

const createAlreadyDone: LessonStep = {
  ...create,
  text: `${create.text} In this scenario the cluster is already built (run scenario seed-lab to type the creation yourself); the two stacks are there.`,
  shell: [SHOW_STACKS],
};

const inspect: LessonStep[] = [
  {
    title: 'The API server endpoint',
    text: 'The console shows the API server endpoint; kubectl sends its requests there. The AWS CLI shows it too. Keep its host name in a variable.',
    shell: [
      'aws eks describe-cluster --name $CLUSTER_NAME --query cluster.endpoint --output text',
      'export APIDNS=$(aws eks describe-cluster --name $CLUSTER_NAME --query cluster.endpoint --output text | cut -d / -f 3)',
    ],
  },
  {
    title: 'dig: two addresses',
    text: 'In public mode the name resolves to public addresses. There are two, not three: the NLB in front of the API servers has one node per AZ, and a node whose AZ has no healthy API server is taken out of DNS; the lab runs 2 API servers in 2 of the 3 AZs. The author read them as the two API servers themselves: they are the NLB nodes in front of them.',
    shell: ['dig $APIDNS', 'dig +short $APIDNS'],
  },
  {
    title: 'curl: 403 on /, the version on /version',
    text: "Without credentials you are system:anonymous: the API server refuses / with a 403 Status, but /version is public (system:public-info-viewer). Both addresses answer alike. -k because the endpoint's certificate is signed by the cluster's own CA.",
    shell: [
      'curl -k -s https://$APIDNS',
      'curl -k -s https://$APIDNS/version',
      'curl -k -s https://$(dig +short $APIDNS | head -n 1)/version',
      'curl -k -s https://$(dig +short $APIDNS | tail -n 1)/version',
    ],
  },
  {
    title: 'kubectl version says the same',
    text: "kubectl's Server Version is the gitVersion that /version returned: kubectl asked the same API server.",
    shell: ['kubectl version', 'kubectl get nodes -o wide'],
  },
  {
    title: 'The node IAM role: 6 policies',
    text: 'The node group got a role eksctl-myeks-nodegroup-myeks-nodeg-NodeInstanceRole-<suffix> with 6 policies: 4 AWS-managed, and the last two customer inline policies added by --external-dns-access, allowing Route 53 reads and record changes.',
    shell: [
      'export NODEROLE=$(aws iam list-roles --query "Roles[?contains(RoleName, \'NodeInstanceRole\')].RoleName" --output text)',
      'echo $NODEROLE',
      'aws iam list-attached-role-policies --role-name $NODEROLE',
      'aws iam list-role-policies --role-name $NODEROLE',
      'aws iam get-role-policy --role-name $NODEROLE --policy-name eksctl-$CLUSTER_NAME-nodegroup-$CLUSTER_NAME-nodegroup-PolicyExternalDNSChangeSet',
      'aws iam get-role-policy --role-name $NODEROLE --policy-name eksctl-$CLUSTER_NAME-nodegroup-$CLUSTER_NAME-nodegroup-PolicyExternalDNSHostedZones',
    ],
  },
  {
    title: 'The security groups',
    text: "Besides the work EC2's own group, four groups belong to the cluster, all with outbound open: eksctl's ControlPlaneSecurityGroup (control plane ↔ nodes, no inbound rule), ClusterSharedNodeSecurityGroup (all nodes talk to each other), the node group's remoteAccess group (port 22 from --ssh-access), and EKS's own eks-cluster-sg-myeks-… on the EKS-owned ENIs and the nodes.",
    shell: [
      "aws ec2 describe-security-groups --filters Name=vpc-id,Values=$VPCID --query 'SecurityGroups[*].[GroupName,GroupId]' --output text",
      "aws ec2 describe-security-groups --filters Name=group-name,Values='*ControlPlaneSecurityGroup*' --query 'SecurityGroups[0].IpPermissions'",
      "aws ec2 describe-security-groups --filters Name=group-name,Values='*remoteAccess*' --query 'SecurityGroups[0].IpPermissions'",
      "aws ec2 describe-security-groups --filters Name=group-name,Values='eks-cluster-sg-*' --query 'SecurityGroups[0].IpPermissions'",
    ],
  },
  {
    title: 'SSH from the work EC2 to a node',
    text: "--ssh-access put the work EC2's public key (~/.ssh/id_rsa.pub) on the nodes and made the remoteAccess group, which opens TCP 22. The instances table is the study group's usual query; ssh runs a command on the first node as ec2-user.",
    shell: [
      'aws ec2 describe-instances --query "Reservations[*].Instances[*].{PublicIPAdd:PublicIpAddress,PrivateIPAdd:PrivateIpAddress,InstanceName:Tags[?Key==\'Name\']|[0].Value,Status:State.Name}" --filters Name=instance-state-name,Values=running --output table',
      "export N1=$(aws ec2 describe-instances --filters Name=tag:eks:nodegroup-name,Values=$CLUSTER_NAME-nodegroup --query 'Reservations[0].Instances[0].PrivateIpAddress' --output text)",
      'ssh -i ~/.ssh/id_rsa ec2-user@$N1 hostname',
    ],
  },
];

const lockout: LessonStep[] = [
  {
    title: 'Switch the endpoint to private',
    text: 'The author switched the endpoint to private only. eksctl sends UpdateClusterConfig (an EndpointAccessUpdate) and waits for it: the cluster stays usable meanwhile, and afterwards the name resolves, from everywhere, to the private addresses of the EKS-owned ENIs.',
    shell: [SEED_GO_PRIVATE, 'aws eks describe-cluster --name $CLUSTER_NAME --query cluster.resourcesVpcConfig'],
  },
  {
    title: 'Locked out',
    text: "Now the bastion reaches the API server through the EKS-owned ENIs, which carry the cluster security group. That group lets in only itself and the nodes: the work EC2's group is not allowed on TCP 443, so the packets are dropped and kubectl times out. eksctl cannot delete the cluster either: it needs the API server. The simulator adds one line saying which hop refused and what would fix it.",
    shell: ['dig +short $APIDNS', 'kubectl get nodes', 'eksctl delete cluster --name $CLUSTER_NAME'],
  },
  {
    title: "The fix: allow the work EC2's group on 443",
    text: "One inbound rule on the cluster security group: TCP 443 from the work EC2's security group. The endpoint stays private; the bastion is inside the VPC and now allowed, and kubectl answers again. The author, short on time and locked out, deleted the cluster from the console instead: the next step.",
    shell: [
      'export CLUSTER_SG=$(aws eks describe-cluster --name $CLUSTER_NAME --query cluster.resourcesVpcConfig.clusterSecurityGroupId --output text)',
      "export HOST_SG=$(aws ec2 describe-security-groups --filters Name=group-name,Values=$CLUSTER_NAME-EKSEC2SG --query 'SecurityGroups[0].GroupId' --output text)",
      'aws ec2 authorize-security-group-ingress --group-id $CLUSTER_SG --protocol tcp --port 443 --source-group $HOST_SG',
      'kubectl get nodes',
    ],
  },
  {
    title: 'Delete from the console, as the author did',
    text: "The console calls the AWS APIs, which need no path to the cluster's API server: this works locked out or not. First the node group (EKS console, Compute tab), waiting until it is gone: EKS refuses to delete a cluster while node groups are left. Then eksctl's stacks in the CloudFormation console: the node group's stack (its node group is already gone; its IAM role and security groups go with it), then the cluster stack, whose ControlPlane resource deletes the cluster and its EKS-owned ENIs.",
    shell: [
      'aws eks delete-nodegroup --cluster-name $CLUSTER_NAME --nodegroup-name $CLUSTER_NAME-nodegroup --query nodegroup.status',
      'aws eks wait nodegroup-deleted --cluster-name $CLUSTER_NAME --nodegroup-name $CLUSTER_NAME-nodegroup',
      'aws cloudformation delete-stack --stack-name eksctl-$CLUSTER_NAME-nodegroup-$CLUSTER_NAME-nodegroup',
      'aws cloudformation wait stack-delete-complete --stack-name eksctl-$CLUSTER_NAME-nodegroup-$CLUSTER_NAME-nodegroup',
      'aws cloudformation delete-stack --stack-name eksctl-$CLUSTER_NAME-cluster',
      'aws cloudformation wait stack-delete-complete --stack-name eksctl-$CLUSTER_NAME-cluster',
      'aws eks list-clusters',
      "aws ec2 describe-network-interfaces --filters Name=description,Values='Amazon EKS *' --query 'NetworkInterfaces[].NetworkInterfaceId'",
    ],
  },
];

/** The whole lab from the bare network: scenario `seed-lab`. */
export const seedLabLesson: Lesson = {
  title: 'Week 1: create a cluster with eksctl, look at it, lock yourself out',
  steps: [variables, create, ...inspect, ...lockout],
};

/** The same walk-through on scenario `seed-week1`, whose cluster is built at the start. */
export const seedWeek1Lesson: Lesson = {
  title: seedLabLesson.title,
  steps: [variables, createAlreadyDone, ...inspect, ...lockout],
};

/** Every shell line of a lesson, in order: what `eks-sim shell` reads when the lab is piped in. */
export function lessonScript(lesson: Lesson): string {
  return `${lesson.steps.flatMap((s) => [`# ${s.title}`, ...(s.shell ?? [])]).join('\n')}\n`;
}
