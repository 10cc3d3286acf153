/**
 * A CloudFormation stack's lifecycle as eksctl drives it (docs/lessons/seed-week1.md, eksctl.io (VPC Networking)): created
 * resource by resource (CREATE_IN_PROGRESS → CREATE_COMPLETE, or CREATE_FAILED and a rollback),
 * updated by `eksctl upgrade` (UPDATE_IN_PROGRESS → UPDATE_COMPLETE), then deleted
 * (DELETE_IN_PROGRESS → DELETE_COMPLETE). States are CloudFormation's StackStatus
 * values; events are what CloudFormation reports about the stack's resources.
 */
import { setup } from 'xstate';

export const stackMachine = setup({
  types: {
    events: {} as
      | { type: 'AllResourcesCreated' }
      | { type: 'ResourceCreateFailed' }
      | { type: 'RollbackFinished' }
      | { type: 'UpdateStack' }
      | { type: 'AllResourcesUpdated' }
      | { type: 'DeleteStack' }
      | { type: 'AllResourcesDeleted' },
  },
}).createMachine({
  id: 'cloudformation-stack',
  initial: 'CREATE_IN_PROGRESS',
  states: {
    CREATE_IN_PROGRESS: {
      on: { AllResourcesCreated: 'CREATE_COMPLETE', ResourceCreateFailed: 'ROLLBACK_IN_PROGRESS' },
    },
    CREATE_COMPLETE: { on: { UpdateStack: 'UPDATE_IN_PROGRESS', DeleteStack: 'DELETE_IN_PROGRESS' } },
    UPDATE_IN_PROGRESS: { on: { AllResourcesUpdated: 'UPDATE_COMPLETE' } },
    UPDATE_COMPLETE: { on: { UpdateStack: 'UPDATE_IN_PROGRESS', DeleteStack: 'DELETE_IN_PROGRESS' } },
    ROLLBACK_IN_PROGRESS: { on: { RollbackFinished: 'ROLLBACK_COMPLETE' } },
    ROLLBACK_COMPLETE: { on: { DeleteStack: 'DELETE_IN_PROGRESS' } },
    DELETE_IN_PROGRESS: { on: { AllResourcesDeleted: 'DELETE_COMPLETE' } },
    DELETE_COMPLETE: { type: 'final' },
  },
});
