import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from './scripts/chromium.mjs';

const executablePath = chromiumExecutable() ?? undefined;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/artifacts',
  fullyParallel: false,
  // Two cores: one browser at a time keeps timings sane.
  workers: 1,
  retries: 0,
  // Timeouts are caps on a wait for a condition, never a measurement: CI machines are loaded
  // (a busy 2-core machine starts a session worker in seconds, not milliseconds), so they are
  // generous. A test that needs a figure measures it in a benchmark instead.
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? 'test-results/e2e.json' }]],
  use: {
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: { executablePath, args: chromiumArgs },
  },
  projects: [
    { name: 'browser', testIgnore: /electron\.spec\.ts/ },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
  ],
});
