import { defineConfig } from 'vitest/config';

/**
 * The tests that judge etcd/ under mutation testing (`pnpm mutation`): its own tests
 * (test/sim-core/etcd/: the rules, the log, the cluster and its machine, save/restore, the
 * invariants and the kept counterexamples), which run in milliseconds. The full-simulation
 * tests (control plane, property) exercise it too, but would make every mutant cost seconds
 * on a small machine.
 */
export default defineConfig({
  test: {
    include: ['test/sim-core/etcd/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
