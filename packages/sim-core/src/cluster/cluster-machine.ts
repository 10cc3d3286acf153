import { setup } from 'xstate';

/**
 * The cluster's status as the EKS API reports it (DescribeCluster `status`): CREATING while
 * the control plane is built, ACTIVE, UPDATING while an update (endpoint access, version, …)
 * is in progress, DELETING, and gone. EKS accepts one update at a time (AWS EKS User Guide, cluster-endpoint.html).
 */
export const clusterMachine = setup({
  types: {
    events: {} as
      | { type: 'CONTROL_PLANE_READY' }
      | { type: 'CREATE_FAILED' }
      | { type: 'UPDATE_STARTED' }
      | { type: 'UPDATE_FINISHED' }
      | { type: 'DELETE_REQUESTED' }
      | { type: 'DELETED' },
  },
}).createMachine({
  id: 'cluster',
  initial: 'CREATING',
  states: {
    CREATING: {
      on: { CONTROL_PLANE_READY: 'ACTIVE', CREATE_FAILED: 'FAILED', DELETE_REQUESTED: 'DELETING' },
    },
    ACTIVE: {
      on: { UPDATE_STARTED: 'UPDATING', DELETE_REQUESTED: 'DELETING' },
    },
    UPDATING: {
      on: { UPDATE_FINISHED: 'ACTIVE' },
    },
    DELETING: {
      on: { DELETED: 'DELETED' },
    },
    FAILED: {
      on: { DELETE_REQUESTED: 'DELETING' },
    },
    DELETED: { type: 'final' },
  },
});
