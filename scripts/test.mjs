// `npm test`: the unit tests (Vitest), then the end-to-end tests (Playwright, browser mode and,
// where an Electron binary exists, the desktop window), then one closing line with the totals.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { npx, run } from './run.mjs';

mkdirSync('test-results', { recursive: true });
const unitReport = 'test-results/unit.json';
const e2eReport = 'test-results/e2e.json';
for (const file of [unitReport, e2eReport]) rmSync(file, { force: true });

const unit = await npx(['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitReport}`]);
const e2e = await run(process.execPath, ['scripts/e2e.mjs'], {
  env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport },
});

const counts = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(unitReport)) {
  const report = JSON.parse(readFileSync(unitReport, 'utf8'));
  counts.passed += report.numPassedTests ?? 0;
  counts.failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  counts.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
} else if (unit !== 0) counts.failed += 1;
if (existsSync(e2eReport)) {
  const stats = JSON.parse(readFileSync(e2eReport, 'utf8')).stats ?? {};
  counts.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  counts.failed += stats.unexpected ?? 0;
  counts.skipped += stats.skipped ?? 0;
} else if (e2e !== 0) counts.failed += 1;

const failed = unit !== 0 || e2e !== 0;
if (failed && counts.failed === 0) counts.failed = 1; // a runner that crashed before reporting still counts
console.log(`\nunit tests: ${unit === 0 ? 'passed' : 'FAILED'}; end-to-end tests: ${e2e === 0 ? 'passed' : 'FAILED'}`);
console.log(`total: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(failed ? 1 : 0);
