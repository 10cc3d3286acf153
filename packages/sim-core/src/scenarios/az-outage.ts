import type { Scenario } from './types';

/**
 * One control-plane AZ goes down for an hour, at the busy time of a diurnal day (seed §3.1,
 * eks-facts §3): the AZ's API server and etcd member are lost, its NLB node leaves DNS, the
 * other two etcd members keep quorum so writes still commit, the ASGs replace the lost
 * instances in the healthy AZs, and rebalance once the AZ is back.
 */
export const azOutage: Scenario = {
  name: 'az-outage',
  title: 'An Availability Zone of the control plane goes down for an hour',
  summary:
    'The seed cluster under a diurnal load; apne2-az1 fails at 04:00 UTC (13:00 in Seoul, near the peak) and returns at 05:00.',
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
        text: 'The control plane runs in an AWS-managed VPC over three AZs (seed §3.1): API servers in apne2-az1 and apne2-az2, one etcd member in each AZ, one NLB node per AZ. Only the NLB nodes of AZs with a healthy API server are in DNS: that is why dig shows two addresses (seed §5.2).',
        shell: ['dig +short $CLUSTER_ENDPOINT_HOST'],
      },
      {
        title: 'The AZ goes down',
        text: 'At 04:00 UTC apne2-az1 fails. Its API server and its etcd member are lost. Within 30 s of failing health checks its NLB node leaves DNS; clients that still hold its address retry the other one. If the lost etcd member led, the other two elect a new leader within a couple of seconds: 2 of 3 is still a majority, so writes keep committing.',
        wait: '4h',
      },
      {
        title: 'The Auto Scaling groups replace what was lost',
        text: 'After its health-check grace each ASG launches a replacement in a healthy AZ: the API server count is back to 2 within minutes, and a new etcd member joins as a learner, catches up, and takes the lost member’s place — etcd never drops below quorum.',
        wait: '1h',
      },
      {
        title: 'The AZ comes back; the groups rebalance',
        text: 'At 05:00 apne2-az1 returns. The ASGs move one API server and one etcd member back into it, one at a time (add first, then remove), so the control plane again spans three AZs with exactly one etcd leader.',
        wait: '2h',
      },
    ],
  },
};
