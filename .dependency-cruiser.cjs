// Import rules of the project, checked by dependency-cruiser in `pnpm lint` (so in CI).
// Type-only imports count: a circle of types is still a circle.

// sim-core's folders, lowest first. A folder imports only folders before it in this list (and
// itself): the order is the architecture, and docs/architecture.md draws it.
const SIM_CORE_LAYERS = [
  'input', // the shape and limits of what users send: commands, scenarios
  'engine', // simulated time, the event log, command specs, random streams
  'load', // the load model
  'etcd', // the etcd cluster and its Raft
  'cluster', // the cluster record and its updates
  'network', // the customer VPC
  'nodegroups', // managed node groups and their nodes
  'control-plane', // API servers, NLB, ASGs, autoscaler
  'endpoint', // endpoint access modes and reachability
  'versions', // the EKS version calendar and auto-upgrade
  'addons', // EKS add-ons installed through CreateAddon
  'cost', // the bill
  'provisioning', // eksctl's CloudFormation stacks and IAM roles
  'workloads', // what runs in kube-system: DaemonSets, coredns, cordons and evictions
  'answers', // every EKS and Kubernetes API answer, from the model
  'shell', // the simulated shell and its tools, over every domain
  'simulation.ts', // the composition root: builds the domains and wires their ports
  'scenarios', // built-in scenarios and the scenario parser (which builds a simulation to check one)
  'invariants', // checks over snapshots, apart from the model
  'index.ts', // the package's public surface
];

const SIM_CORE = '^packages/sim-core/src/';
const layerPath = (layer) => `${SIM_CORE}${layer.replaceAll('.', '[.]')}${layer.endsWith('.ts') ? '$' : '/'}`;

const upwardImports = SIM_CORE_LAYERS.slice(0, -1).map((layer, i) => ({
  name: `sim-core-layer-${layer}`,
  comment: `${layer} is below ${SIM_CORE_LAYERS.slice(i + 1).join(', ')} and must not import them`,
  severity: 'error',
  from: { path: layerPath(layer) },
  to: { path: SIM_CORE_LAYERS.slice(i + 1).map(layerPath) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import circle anywhere in the project',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upwardImports,
    {
      name: 'sim-core-stays-pure',
      comment: 'sim-core is the model: it never imports the server or the page',
      severity: 'error',
      from: { path: '^packages/sim-core/' },
      to: { path: '^packages/(server|viz)/' },
    },
    {
      name: 'viz-not-server',
      comment: 'The page talks to the server over HTTP and WebSocket only, never by importing it',
      severity: 'error',
      from: { path: '^packages/viz/' },
      // The messages they share live in @eks-sim/protocol.
      to: { path: '^packages/server/' },
    },
    {
      name: 'packages-by-name',
      comment: 'A package imports another by its package name (@eks-sim/...), never by a relative path',
      severity: 'error',
      from: { path: '^packages/([^/]+)/' },
      to: {
        dependencyTypes: ['local'],
        path: '^packages/([^/]+)/',
        pathNot: '^packages/$1/',
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '(^|/)dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types', 'default'] },
  },
};
