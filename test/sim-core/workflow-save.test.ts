/**
 * The cluster, node group, node and version-lifecycle machines keep their timing across a save
 * (docs/architecture.md, "Save and restore"): each is started on an engine, saved in the middle
 * of an `after` delay, sent through JSON, revived on a fresh engine, and both engines then hear
 * the same lines at the same times.
 */

import { describe, expect, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import { clusterMachine } from '../../packages/sim-core/src/cluster/cluster-machine';
import { Engine, type EngineSave } from '../../packages/sim-core/src/engine/engine';
import { nodeMachine } from '../../packages/sim-core/src/nodegroups/node-machine';
import { nodegroupMachine } from '../../packages/sim-core/src/nodegroups/nodegroup-machine';
import { nextBoundary } from '../../packages/sim-core/src/versions/calendar';
import { versionLifecycleMachine } from '../../packages/sim-core/src/versions/version-lifecycle-machine';

const MIN = 60_000;

type Hear = (actor: { on: (type: '*', fn: (e: { type: string }) => void) => unknown }) => void;
const hear =
  (engine: Engine, key: string): Hear =>
  (actor) =>
    actor.on('*', (e) => engine.emit(e.type, key, e.type));

const lines = (engine: Engine) => engine.log.since(0).map((e) => `${(e.atMs - START) / MIN}m ${e.source} ${e.type}`);
const START = Date.parse('2025-11-25T12:00:00Z');

/**
 * Starts `key` on an engine, lets `before` happen, saves, revives the save on a fresh engine and
 * runs both to `untilMs`. `act` may poke the actor at the save's moment (on both engines alike).
 */
function saveInTheMiddle(
  key: string,
  machine: AnyStateMachine,
  input: unknown,
  before: (engine: Engine, send: (e: never) => void) => void,
  untilMs: number,
) {
  const original = new Engine(1, START);
  const actor = original.actors.start(key, machine, { input } as never, hear(original, key));
  before(original, (e) => actor.send(e));
  const saved = JSON.parse(JSON.stringify(original.save())) as EngineSave;
  const restored = new Engine(1, saved.nowMs);
  restored.beginRestore(saved);
  restored.actors.revive(key, machine, hear(restored, key));
  restored.endRestore(saved);
  original.clock.runUntil(untilMs);
  restored.clock.runUntil(untilMs);
  return { original: lines(original), restored: lines(restored), pending: saved.queue.length };
}

describe('the workflow machines keep their timing across a save', () => {
  it('a cluster saved while CREATING turns ACTIVE on time, and its update completes on time', () => {
    const run = saveInTheMiddle(
      'cluster/c',
      clusterMachine,
      { name: 'c', version: '1.29', createMs: 9 * MIN, builtBeforeScenario: false },
      (engine) => engine.clock.runUntil(START + 4 * MIN),
      START + 60 * MIN,
    );
    expect(run.pending).toBe(1);
    expect(run.restored).toEqual(run.original);
    expect(run.restored.at(-1)).toBe('9m cluster/c cluster.active');
  });

  it('a node saved while it drains for an upgrade is replaced after its drain time', () => {
    const run = saveInTheMiddle(
      'node/n',
      nodeMachine,
      { name: 'n', kubeletVersion: '1.28', running: true },
      (engine, send) => {
        send({ type: 'UPGRADE', toVersion: '1.29', drainMs: 3 * MIN } as never);
        engine.clock.runUntil(START + MIN);
      },
      START + 10 * MIN,
    );
    expect(run.restored).toEqual(run.original);
    expect(run.restored).toEqual(['0m node/n nodegroup.node-draining', '3m node/n replacement-launched']);
  });

  it('a node group saved while its instances launch reaches its registration on time', () => {
    const run = saveInTheMiddle(
      'nodegroup/ng',
      nodegroupMachine,
      {
        name: 'ng',
        version: '1.29',
        instanceType: 't3.medium',
        subnetKind: 'public',
        nodeCount: 2,
        createMs: 4 * MIN,
        running: false,
      },
      (engine) => engine.clock.runUntil(START + 2 * MIN),
      START + 10 * MIN,
    );
    expect(run.restored).toEqual(run.original);
    expect(run.restored).toEqual(['0m nodegroup/ng nodegroup.creating', '4m nodegroup/ng instances-launched']);
  });

  it('the version lifecycle saved while waiting for the end of extended support asks for the upgrade at 00:00 UTC', () => {
    const boundary = nextBoundary('1.28', 'EXTENDED', START) ?? null;
    const run = saveInTheMiddle(
      'versions/lifecycle',
      versionLifecycleMachine,
      { phase: 'extended', policy: 'EXTENDED', clusterName: 'myeks', version: '1.28' },
      (engine, send) => {
        send({ type: 'BOUNDARY_AHEAD', boundary, inMs: (boundary?.atMs ?? START) - START } as never);
        engine.clock.runUntil(START + 6 * 60 * MIN);
      },
      START + 24 * 60 * MIN,
    );
    expect(run.restored).toEqual(run.original);
    expect(run.restored).toEqual([
      '720m versions/lifecycle versions.end-of-support',
      '720m versions/lifecycle auto-upgrade-due',
    ]);
  });
});
