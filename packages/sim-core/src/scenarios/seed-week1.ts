import type { Scenario } from '../input/scenario';
import { seedWeek1Lesson } from './seed-week1-lesson';

/**
 * The week-1 lab: cluster `myeks` on 1.28 in ap-northeast-2, a managed node group of two
 * t3.medium nodes with 30 GiB volumes in the two public subnets, SSH and ExternalDNS access,
 * public endpoint. Starts in March 2024, when the study group ran it.
 */
export const seedWeek1: Scenario = {
  name: 'seed-week1',
  title: 'Week 1: create an EKS cluster with eksctl and look at what was built',
  summary:
    "The study group's week-1 lab: the myeks cluster on 1.28, its managed control plane over 3 AZs, and a class of about 30 whose API load ramps up from the first minute.",
  start: '2024-03-10T09:00:00Z',
  region: 'ap-northeast-2',
  seed: 1,
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
  // The class is in the room from the first minute: about 30 people start kubectl and the
  // lab's controllers, and the API load ramps over 15 minutes from the idle cluster's ~19 req/s
  // (a few controllers, two kubelets, one person with kubectl) to ~20× that, for two hours.
  // So the charts move as soon as the teacher presses play. (EKS scales the control plane with
  // load: https://docs.aws.amazon.com/eks/latest/best-practices/control-plane.html)
  load: {
    profile: 'classroom',
    kubectlRps: 0.5,
    controllersRps: 15,
    kubeletRpsPerNode: 1.5,
    classroom: { startsAt: '0m', rampUp: '15m', duration: '2h', factor: 20 },
  },
  lesson: seedWeek1Lesson,
};
