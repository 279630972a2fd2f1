import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Unit tests share no mutable module state, so each worker loads the heavy modules (AWS
          // SDK, aws-cdk-lib) once instead of once per file: about 2.5x faster on 2 cores.
          isolate: false,
          // The simulator tests play minutes of ticks; a loaded 2-core machine needs more than 5 s.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/env/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
