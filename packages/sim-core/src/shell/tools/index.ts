import type { Tool } from '../tool';
import { awsTool } from './aws/index';
import { curlTool } from './curl';
import { digTool } from './dig';
import { eksctlTool } from './eksctl';
import { kubectlTool } from './kubectl';

/** The tools installed on every vantage host (docs/lessons/seed-week1.md: kubectl, eksctl, aws on the lab host). */
export const TOOLS: Record<string, Tool> = {
  aws: awsTool,
  eksctl: eksctlTool,
  kubectl: kubectlTool,
  dig: digTool,
  curl: curlTool,
};
