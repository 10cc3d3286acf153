import type { Scenario } from '../input/scenario';

/**
 * Ten times the API load for twenty minutes: APF answers 429 once
 * the API servers' seats are full, the control-plane autoscaler scales out, and scales back
 * in after the spike, one step per cooldown.
 */
export const loadSpike: Scenario = {
  name: 'load-spike',
  title: 'Ten times the API load for twenty minutes',
  summary:
    'A steady 300 rps, then ×10 at 01:00 for 20 minutes: 429s, latency, the autoscaler scaling the API servers out and, after the spike, back in.',
  start: '2024-03-11T00:00:00Z',
  region: 'ap-northeast-2',
  seed: 3,
  duration: '6h',
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
  load: { profile: 'flat', kubectlRps: 20, controllersRps: 280, kubeletRpsPerNode: 1.5 },
  timeline: [{ at: '1h', command: { type: 'load.spike', factor: 10, duration: '20m' } }],
  lesson: {
    title: 'How the managed control plane absorbs a load spike',
    steps: [
      {
        title: 'A steady load',
        text: 'About 300 requests per second from kubectl users, controllers and kubelets, spread by the NLB nodes over two API servers: each has 600 APF seats (400 read + 200 mutating) and runs at about a fifth of its CPU.',
        wait: '1h',
      },
      {
        title: 'Ten times the load',
        text: 'At 01:00 the load jumps ×10. Each API server can admit only so many requests: the rest get HTTP 429 from API Priority and Fairness, and latency climbs as CPU nears 100 %. After three minutes above 60 % CPU the autoscaler scales out; new API servers take about four minutes to launch and pass health checks.',
        wait: '20m',
      },
      {
        title: 'Back to normal, slowly',
        text: 'The spike ends. The autoscaler waits for 15 minutes of low CPU before it removes an API server, and then waits out a cooldown before the next one: no flapping. It never goes below two.',
        wait: '2h',
      },
    ],
  },
};
