import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { versionLifecycleMachine } from '../../../packages/sim-core/src/versions/version-lifecycle-machine';

function lifecycle(phase: 'standard' | 'extended' | 'unsupported', policy: 'STANDARD' | 'EXTENDED') {
  const actor = createActor(versionLifecycleMachine, { input: { phase, policy } });
  actor.start();
  return actor;
}

describe('the version lifecycle machine (docs/versions-and-cost.md)', () => {
  it('EXTENDED: standard support, then extended support, then an automatic upgrade is due', () => {
    const actor = lifecycle('standard', 'EXTENDED');
    expect(actor.getSnapshot().value).toBe('STANDARD_SUPPORT');
    actor.send({ type: 'END_OF_STANDARD_SUPPORT' });
    expect(actor.getSnapshot().value).toBe('EXTENDED_SUPPORT');
    actor.send({ type: 'END_OF_EXTENDED_SUPPORT' });
    expect(actor.getSnapshot().value).toBe('AUTO_UPGRADE_DUE');
    actor.send({ type: 'VERSION_UPDATE_STARTED' });
    expect(actor.getSnapshot().value).toBe('UPDATING');
    actor.send({ type: 'VERSION_UPDATE_SUCCESSFUL', phase: 'extended' });
    expect(actor.getSnapshot().value).toBe('EXTENDED_SUPPORT');
  });

  it('STANDARD: the end of standard support makes the automatic upgrade due at once', () => {
    const actor = lifecycle('standard', 'STANDARD');
    actor.send({ type: 'END_OF_STANDARD_SUPPORT' });
    expect(actor.getSnapshot().value).toBe('AUTO_UPGRADE_DUE');
    actor.send({ type: 'VERSION_UPDATE_STARTED' });
    actor.send({ type: 'VERSION_UPDATE_SUCCESSFUL', phase: 'standard' });
    expect(actor.getSnapshot().value).toBe('STANDARD_SUPPORT');
  });

  it('a cluster adopted past its end of support starts with its upgrade due', () => {
    expect(lifecycle('unsupported', 'EXTENDED').getSnapshot().value).toBe('AUTO_UPGRADE_DUE');
    expect(lifecycle('extended', 'STANDARD').getSnapshot().value).toBe('AUTO_UPGRADE_DUE');
  });
});
