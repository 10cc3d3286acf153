/** sim-core's public API (DESIGN §2). Everything else is internal. */

export type { ClusterRecord, ClusterStatus, ClusterUpdate, UpdateStatus, UpdateType } from './cluster/types';
export type { Command, CommandError, CommandOk, CommandResult, CommandSpec, FieldSpec } from './engine/command-spec';
export { commandJsonSchema } from './engine/command-spec';
export { formatDuration, isoDate, isoTime, parseDate, parseDuration } from './engine/duration';
export type { SimEvent } from './engine/event-log';
export type { Violation } from './invariants/index';
export { checkInvariants } from './invariants/index';
export { DEFAULT_SCENARIO, scenarios } from './scenarios/index';
export { parseScenario, ScenarioError } from './scenarios/parse';
export type { Lesson, LessonStep, Scenario, ScenarioCluster, ScenarioNodeGroup, TimedCommand } from './scenarios/types';
export type { ExecOptions, ExecResult } from './shell/types';
export type { Domains, SimulationOptions, Snapshot, SnapshotBase } from './simulation';
export { createSimulation, Simulation, SNAPSHOT_EVENT_TAIL } from './simulation';
