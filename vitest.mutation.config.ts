import { defineConfig } from 'vitest/config';

/** The tests that judge etcd/ under mutation testing (`pnpm mutation`): the model's own, not the slow property runs. */
export default defineConfig({
  test: {
    include: ['test/sim-core/etcd/**/*.test.ts', 'test/sim-core/control-plane/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
