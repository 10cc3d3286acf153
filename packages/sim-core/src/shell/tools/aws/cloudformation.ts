import { cfnStack, cfnStackEvents, cfnStackResources, cfnStacks } from '../../world';
import { applyAsShell, failure, type Service, success } from './operation';

/** `aws cloudformation …` over eksctl's stacks (docs/lessons/seed-week1.md), read from the provisioning domain. */
const noStack = (name: string) => failure('ValidationError', `Stack with id ${name} does not exist`);

export const cloudformationService: Service = {
  'describe-stacks': {
    api: 'DescribeStacks',
    params: { 'stack-name': { kind: 'string' } },
    run: (input, inv) => {
      const name = input.strings['stack-name'];
      if (name === undefined) return success({ Stacks: cfnStacks(inv.ctx).map((s) => ({ ...s })) });
      const stack = cfnStack(inv.ctx, name);
      return stack ? success({ Stacks: [{ ...stack }] }) : noStack(name);
    },
  },
  'describe-stack-events': {
    api: 'DescribeStackEvents',
    params: { 'stack-name': { kind: 'string', required: true } },
    run: (input, inv) => {
      const name = input.strings['stack-name'] as string;
      const events = cfnStackEvents(inv.ctx, name);
      return events ? success({ StackEvents: events.map((e) => ({ ...e })) }) : noStack(name);
    },
  },
  'list-stack-resources': {
    api: 'ListStackResources',
    params: { 'stack-name': { kind: 'string', required: true } },
    run: (input, inv) => {
      const name = input.strings['stack-name'] as string;
      const resources = cfnStackResources(inv.ctx, name);
      return resources ? success({ StackResourceSummaries: resources.map((r) => ({ ...r })) }) : noStack(name);
    },
  },
  // DeleteStack answers nothing, also for a stack that does not exist (CloudFormation API reference).
  'delete-stack': {
    api: 'DeleteStack',
    params: { 'stack-name': { kind: 'string', required: true } },
    run: (input, inv) => {
      const result = applyAsShell(inv, 'provisioning.delete-stack', { stackName: input.strings['stack-name'] });
      return result.ok ? success(undefined) : failure(result.code, result.error);
    },
  },
  // The waiter as botocore defines it: DescribeStacks every 30 s, 120 attempts; gone counts as deleted.
  'wait stack-delete-complete': {
    api: 'DescribeStacks',
    params: { 'stack-name': { kind: 'string', required: true } },
    run: (input, inv) => {
      const name = input.strings['stack-name'] as string;
      for (let attempt = 1; attempt <= 120; attempt++) {
        const status = cfnStack(inv.ctx, name)?.StackStatus;
        if (status === undefined || status === 'DELETE_COMPLETE') return success(undefined);
        if (status === 'DELETE_FAILED') {
          return failure(
            'WaiterError',
            'Waiter StackDeleteComplete failed: Waiter encountered a terminal failure state: For expression "Stacks[].StackStatus" we matched expected path: "DELETE_FAILED" at least once',
          );
        }
        inv.wait(30_000);
      }
      return failure('WaiterError', 'Waiter StackDeleteComplete failed: Max attempts exceeded');
    },
  },
  'list-stacks': {
    api: 'ListStacks',
    params: {},
    run: (_input, inv) =>
      success({
        StackSummaries: cfnStacks(inv.ctx).map((s) => ({
          StackId: s.StackId,
          StackName: s.StackName,
          CreationTime: s.CreationTime,
          StackStatus: s.StackStatus,
        })),
      }),
  },
};
