/** eksctl lives in `shell/eksctl/` (the other half of issue 5); the tool table takes it from here. */
export { eksctlTool } from '../eksctl/index';
