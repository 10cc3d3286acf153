import type { Scenario } from '../input/scenario';
import { seedWeek1 } from './seed-week1';
import { seedLabLesson } from './seed-week1-lesson';

/**
 * The seed's lab before the cluster: the lab VPC, its subnets and the work EC2
 * myeks-host, and no cluster yet. The lesson types the seed's commands from `eksctl create
 * cluster` to the lockout and its fix.
 */
export const seedLab: Scenario = {
  ...seedWeek1,
  name: 'seed-lab',
  title: 'Week 1 from scratch: the lab network, then eksctl create cluster from the shell',
  summary:
    "The study group's lab as they typed it: the lab VPC and work EC2 only; the learner creates myeks with the study group's eksctl line, inspects the endpoint, IAM and security groups, makes the endpoint private, gets locked out and fixes it.",
  duration: '2h',
  cluster: { ...seedWeek1.cluster, existsAtStart: false },
  timeline: [],
  load: undefined,
  lesson: seedLabLesson,
};
