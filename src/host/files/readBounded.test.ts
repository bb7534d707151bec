import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileReadError, checkDataFile, readTextBounded, readTextBoundedSync } from './readBounded';

const dir = mkdtempSync(path.join(tmpdir(), 'bps-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fifo = path.join(dir, 'pipe.csv');
execFileSync('mkfifo', [fifo]);
const small = path.join(dir, 'small.csv');
writeFileSync(small, 'a,b\n1,2\n');
// Over a 1,000-byte cap, and holding text that must never show in a message.
const big = path.join(dir, 'big.csv');
writeFileSync(big, 'root:x:0:0:root:/root:/bin/bash\n');
truncateSync(big, 1001);

const NOT_REGULAR = 'it is not a regular file (a device, a pipe or a socket)';
const cases: [string, string, string][] = [
  ['/dev/zero (never ends)', '/dev/zero', NOT_REGULAR],
  ['a FIFO (blocks its reader)', fifo, NOT_REGULAR],
  ['a folder', dir, 'it is a folder, not a file'],
  ['a missing file', path.join(dir, 'nope.csv'), 'no such file'],
  ['a file over the cap', big, 'it is 1,001 bytes; the limit is 1,000 bytes'],
];

describe('reading a named file as data', () => {
  for (const [what, file, reason] of cases) {
    it(`refuses ${what} without reading it, sync and async, quoting nothing of it`, async () => {
      expect(() => readTextBoundedSync(file, 1000)).toThrow(new FileReadError(reason));
      await expect(readTextBounded(file, 1000)).rejects.toThrow(new FileReadError(reason));
      expect(checkDataFile(file, 1000)).toBe(reason);
    });
  }

  it('reads a regular file under the cap, and stops at an aborted signal', async () => {
    expect(readTextBoundedSync(small, 1000)).toBe('a,b\n1,2\n');
    expect(await readTextBounded(small, 1000)).toBe('a,b\n1,2\n');
    expect(checkDataFile(small, 1000)).toBeNull();
    await expect(readTextBounded(small, 1000, AbortSignal.abort())).rejects.toThrow('reading it took too long');
  });
});
