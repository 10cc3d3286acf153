/** sim-core's public API (docs/architecture.md). Everything else is internal. */

export * from './answers/index';
export { endpointHost, endpointId } from './cluster/endpoint-name';
export type { ClusterRecord, ClusterStatus, ClusterUpdate, UpdateStatus, UpdateType } from './cluster/types';
export { AUTOSCALER_RULES, controlPlaneAzIds, SIZE_LADDER } from './control-plane/facts';
export type {
  ApiServerView,
  AsgView,
  AzView,
  ControlPlaneView,
  DecisionRecord,
  NlbNodeView,
  OperationView,
} from './control-plane/types';
export type { CostSegment, CostView, HourlyRate } from './cost/cost-domain';
export { BILLING_CONVENTION } from './cost/cost-domain';
export type { ClusterPriceRow, InstancePriceRow, VolumePriceRow } from './cost/prices';
export { CLUSTER_PRICES, INSTANCE_PRICES, VOLUME_PRICES } from './cost/prices';
export type {
  EndpointConfig,
  EndpointMode,
  EndpointWorld,
  Hop,
  HopKind,
  HopName,
  KubeletReachability,
  Reachability,
} from './endpoint/types';
export { ENDPOINT_MODES } from './endpoint/types';
export type { WhatIfOptions, WhatIfRow } from './endpoint/whatif';
export { MATRIX_CLIENTS, whatIfEndpoint } from './endpoint/whatif';
export type { Command, CommandError, CommandOk, CommandResult, CommandSpec, FieldSpec } from './engine/command-spec';
export { commandJsonSchema } from './engine/command-spec';
export {
  formatDuration,
  isoDate,
  isoTime,
  MAX_DURATION_MS,
  MAX_DURATION_TEXT,
  parseDate,
  parseDuration,
} from './engine/duration';
export type { SimEvent } from './engine/event-log';
export { SaveError } from './engine/save-error';
export type { ClientHistoryView, ClientOp, DataLossRecord } from './etcd/client-history';
export type { CommitRecord, EtcdClusterView, EtcdMemberView, LeaderRecord } from './etcd/etcd-cluster';
export type { LogRun } from './etcd/raft-log';
export type { BoundedParse, InputLimitName, InputLimits, InputProblem } from './input/bounds';
export { checkInputBounds, checkYamlTextBounds, INPUT_LIMITS, parseJsonBounded } from './input/bounds';
export type {
  Lesson,
  LessonStep,
  Scenario,
  ScenarioCluster,
  ScenarioFile,
  ScenarioNodeGroup,
  TimedCommand,
} from './input/scenario';
export type { Violation } from './invariants/index';
export { checkInvariants, checkLinearizable, RaftHistoryChecker } from './invariants/index';
export type { LoadPoint, LoadProfile, LoadScenario, LoadTotals } from './load/types';
export type { NetworkScenario, NetworkView, SecurityGroup, SgRule, Subnet, VantageHost } from './network/types';
export type {
  AttachedPolicy,
  IamRole,
  ProvisioningSnapshot,
  RolePolicy,
  Stack,
  StackEvent,
  StackResourceSummary,
  StackStatus,
} from './provisioning/types';
export { createSimulation, DEFAULT_SCENARIO, scenarios } from './scenarios/index';
export type { ParseScenarioOptions, ScenarioCheck, ScenarioIssue } from './scenarios/parse';
export {
  checkScenarioText,
  formatIssue,
  MAX_SCENARIO_TEXT_CHARS,
  parseScenario,
  ScenarioError,
  validateScenario,
} from './scenarios/parse';
export { needsMoreInput } from './shell/parse';
export type { ExecOptions, ExecResult } from './shell/types';
export type { Domains, SavedSimulation, SimulationOptions, Snapshot, SnapshotBase } from './simulation';
export { restoreSimulation, Simulation, SNAPSHOT_EVENT_TAIL } from './simulation';
export type { Boundary, CalendarRow, SkewStatus, SupportPhase, UpgradePolicy } from './versions/calendar';
export {
  calendarRow,
  EKS_CALENDAR,
  kubeletSkew,
  maxKubeletSkew,
  nextBoundary,
  supportPhase,
  validateCreateVersion,
  versionsOffered,
} from './versions/calendar';
export type { ServerVersionInfo } from './versions/server-version';
export { platformReleaseOn, platformVersionOn, serverVersionInfo } from './versions/server-version';
export type { ClusterVersionView, NodeSkew, VersionChange, VersionsView } from './versions/types';
