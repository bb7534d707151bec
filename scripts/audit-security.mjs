// `npm run audit:security`: Electronegativity over the sources; fails on any HIGH finding that
// is not suppressed below with a written reason. Runs offline: the Electron version is given.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;

/**
 * Findings reviewed and accepted. Each needs the check, the file, and why it is not a risk here.
 * @type {{ check: string, file: string, reason: string }[]}
 */
const suppressions = [
  {
    check: 'PRELOAD_JS_CHECK',
    file: 'main/index.ts',
    reason:
      'Reviewed: src/preload/index.ts exposes only invoke/subscribe for the channels and events listed in src/shared/api/contract.ts; it never exposes ipcRenderer.',
  },
];

const dir = mkdtempSync(path.join(tmpdir(), 'bps-audit-'));
const csv = path.join(dir, 'findings.csv');
const result = spawnSync(
  process.execPath,
  [require.resolve('@doyensec/electronegativity/dist/index.js'), '-i', 'src', '-e', electronVersion, '-r', '-o', csv],
  { encoding: 'utf8' },
);
let text;
try {
  text = readFileSync(csv, 'utf8');
} catch {
  console.error(`Electronegativity produced no report (exit ${result.status}):\n${result.stderr || result.stdout}`);
  process.exit(1);
} finally {
  setTimeout(() => rmSync(dir, { recursive: true, force: true }), 0);
}

const [header, ...rows] = parseCsv(text).filter((row) => row.length > 1);
const column = (name) => header.findIndex((h) => h.trim() === name);
const [iIssue, iSeverity, iConfidence, iFile, iLocation, iDescription] = [
  'issue',
  'severity',
  'confidence',
  'filename',
  'location',
  'description',
].map(column);

let blocking = 0;
console.log(`Electronegativity (Electron ${electronVersion}): ${rows.length} finding(s)`);
for (const row of rows) {
  const finding = { check: row[iIssue], severity: row[iSeverity], file: row[iFile] };
  const suppressed = suppressions.find((s) => s.check === finding.check && s.file === finding.file);
  const mark = suppressed ? 'accepted' : finding.severity === 'HIGH' ? 'BLOCKING' : 'note';
  console.log(
    `  [${mark}] ${finding.severity}/${row[iConfidence]} ${finding.check} ${finding.file}:${row[iLocation]} — ${row[iDescription]}`,
  );
  if (suppressed) console.log(`           reason: ${suppressed.reason}`);
  else if (finding.severity === 'HIGH') blocking++;
}
if (blocking > 0) {
  console.error(
    `${blocking} HIGH finding(s): fix them, or suppress each in scripts/audit-security.mjs with a written reason.`,
  );
  process.exit(1);
}
console.log('No unaccepted HIGH findings.');

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
function parseCsv(source) {
  const rows = [[]];
  let field = '';
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === '\n') {
      rows.at(-1).push(field);
      field = '';
      if (c === '\n') rows.push([]);
    } else if (c !== '\r') field += c;
  }
  rows.at(-1).push(field);
  return rows;
}
