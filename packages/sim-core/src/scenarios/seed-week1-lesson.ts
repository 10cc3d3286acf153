import type { Lesson } from './types';

/** The seed's steps as a lesson (seed §4-§8). Filled in by the shell issue. */
export const seedWeek1Lesson: Lesson = {
  title: 'Week 1: create a cluster with eksctl, look at it, lock yourself out',
  steps: [],
};
