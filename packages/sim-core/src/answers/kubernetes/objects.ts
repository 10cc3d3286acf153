/**
 * The cluster's Kubernetes objects as the API server returns them (`kubectl get -o yaml`),
 * made from the model each time they are asked for (objects/): Namespaces and the objects'
 * metadata (meta.ts), Nodes (nodes.ts), kube-system's pods and their DaemonSets, Deployment
 * and ReplicaSet (workloads.ts), the `kubernetes` and `kube-dns` Services with their Endpoints
 * and EndpointSlices (services.ts), ConfigMaps (`aws-auth` among them) and Events from the
 * event log (config-and-events.ts). Shapes follow the Kubernetes API reference
 * (kubernetes.io/docs/reference/kubernetes-api/).
 */
export * from './objects/config-and-events';
export * from './objects/meta';
export * from './objects/nodes';
export * from './objects/services';
export * from './objects/workloads';
