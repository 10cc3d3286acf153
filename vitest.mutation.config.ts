import { defineConfig } from 'vitest/config';

/**
 * The tests that judge etcd/ under mutation testing (`pnpm mutation`): its own unit tests,
 * which run in milliseconds. The full-simulation tests (control plane, counterexamples,
 * property) exercise it too, but would make every mutant cost seconds on a small machine.
 */
export default defineConfig({
  test: {
    include: [
      'test/sim-core/etcd/etcd-cluster.test.ts',
      'test/sim-core/etcd/raft-rules.test.ts',
      'test/sim-core/etcd/raft-log.test.ts',
      'test/sim-core/etcd/linearizability.test.ts',
      'test/sim-core/etcd/kv-and-history.test.ts',
    ],
    testTimeout: 60_000,
  },
});
