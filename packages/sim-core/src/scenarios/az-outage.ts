import type { Scenario } from '../input/scenario';

/**
 * One control-plane AZ goes down for an hour, at the busy time of a diurnal day: the AZ's API server and etcd member are lost, its NLB node leaves DNS, the
 * other two etcd members keep quorum so writes still commit, the ASGs replace the lost
 * instances in the healthy AZs, and rebalance once the AZ is back.
 */
export const azOutage: Scenario = {
  name: 'az-outage',
  title: 'An Availability Zone of the control plane goes down for an hour',
  summary:
    'The week-1 cluster under a diurnal load; apne2-az1 fails at 04:00 UTC (13:00 in Seoul, near the peak) and returns at 05:00.',
  start: '2024-03-11T00:00:00Z',
  region: 'ap-northeast-2',
  seed: 7,
  duration: '24h',
  cluster: {
    name: 'myeks',
    version: '1.28',
    existsAtStart: true,
    endpointPublicAccess: true,
    endpointPrivateAccess: false,
    publicAccessCidrs: ['0.0.0.0/0'],
    supportType: 'EXTENDED',
    nodeGroups: [
      {
        name: 'myeks-nodegroup',
        instanceType: 't3.medium',
        desiredCapacity: 2,
        minSize: 2,
        maxSize: 2,
        volumeSize: 30,
        subnets: 'public',
        sshAccess: true,
        externalDnsAccess: true,
      },
    ],
  },
  load: {
    profile: 'diurnal',
    kubectlRps: 10,
    controllersRps: 250,
    kubeletRpsPerNode: 1.5,
    diurnal: { peakHourUtc: 5, troughFactor: 0.3 },
  },
  timeline: [
    { at: '4h', command: { type: 'fault.az', az: 'apne2-az1' } },
    { at: '5h', command: { type: 'recover.az', az: 'apne2-az1' } },
  ],
  lesson: {
    title: 'What happens when an AZ of the control plane fails',
    steps: [
      {
        title: 'Three AZs, two API servers, three etcd members',
        text: 'The control plane runs in an AWS-managed VPC over three AZs: API servers in apne2-az1 and apne2-az2, one etcd member in each AZ, one NLB node per AZ. Only the NLB nodes of AZs with a healthy API server are in DNS, so dig answers with two addresses: the third AZ has no target.',
        shell: [
          'dig +short $(aws eks describe-cluster --name $CLUSTER_NAME --query cluster.endpoint --output text | cut -d / -f 3)',
        ],
        wait: '4h5m',
      },
      {
        title: 'The AZ goes down',
        text: 'At 04:00 UTC apne2-az1 failed. Its API server and its etcd member were lost. After 30 s of failing health checks its NLB node left DNS. The etcd member there led, so the other two elected a new leader within two seconds: 2 of 3 is still a majority, and writes kept committing. The API-server ASG launched a replacement in apne2-az3 — whose NLB node is now in DNS: dig shows a different pair of addresses. In your VPC, the worker node in ap-northeast-2a (apne2-az1 in this account) stopped posting its status: 40 s later the node controller marked it NotReady, and its aws-node and kube-proxy pods with it (kubectl get nodes; kubectl get pods -A -o wide).',
        shell: [
          'dig +short $(aws eks describe-cluster --name $CLUSTER_NAME --query cluster.endpoint --output text | cut -d / -f 3)',
        ],
      },
      {
        title: 'The Auto Scaling groups replace what was lost',
        text: 'After its health-check grace the etcd ASG launched a new member in a healthy AZ. It joined as a learner, caught up, and only then took the lost member’s place: the voters stayed three, so quorum never depended on the newcomer.',
        wait: '1h',
      },
      {
        title: 'The AZ comes back; the groups rebalance',
        text: 'At 05:00 apne2-az1 returned. The etcd ASG moves a member back into it, one at a time (add first, then remove), so etcd again spans three AZs with exactly one leader. The API servers already run in two distinct AZs, so they stay where they are.',
        wait: '2h',
      },
    ],
  },
};
