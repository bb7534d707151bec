import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['./vitest.setup.ts'],
    // Gradient checks and training tests are CPU-heavy; two cores are the norm here.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
