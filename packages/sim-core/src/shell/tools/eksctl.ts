import type { Tool } from '../tool';

/**
 * Stand-in until `shell/eksctl/` (the other half of issue 5) exports `eksctlTool`; then this
 * file re-exports it.
 */
export const eksctlTool: Tool = ({ err }) => {
  err('eksctl: not available in this build of the simulator yet\n');
  return 1;
};
