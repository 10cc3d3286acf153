import { seedWeek1 } from './seed-week1';
import { seedLabLesson } from './seed-week1-lesson';
import type { Scenario } from './types';

/**
 * The seed's lab before the cluster (seed §4.1): the lab VPC, its subnets and the work EC2
 * myeks-host, and no cluster yet. The lesson types the seed's commands from `eksctl create
 * cluster` (seed §4.2) to the lockout and its fix (seed §8.3).
 */
export const seedLab: Scenario = {
  ...seedWeek1,
  name: 'seed-lab',
  title: 'Week 1 from scratch: the lab network, then eksctl create cluster from the shell',
  summary:
    "The study group's lab as they typed it (seed §4-§8): the lab VPC and work EC2 only; the learner creates myeks with the seed's eksctl line, inspects the endpoint, IAM and security groups, makes the endpoint private, gets locked out and fixes it.",
  duration: '2h',
  cluster: { ...seedWeek1.cluster, existsAtStart: false },
  timeline: [],
  load: undefined,
  lesson: seedLabLesson,
};
