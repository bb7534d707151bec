// Reading a file that a user or a project names, as data: only a regular file (never a device, a
// FIFO or a socket: /dev/zero never ends, a FIFO blocks its reader), at most `maxBytes`, read in
// chunks so the cap holds even for a file that grows while it is read. Errors say what is wrong
// with the file and never quote its contents.
import { closeSync, constants, fstatSync, openSync, promises as fsp, readSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';

/** Opening with O_NONBLOCK: a FIFO's open() does not wait for a writer (0 where the flag does not exist). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const CHUNK = 1 << 20;

export class FileReadError extends Error {}

const mb = (bytes: number): string =>
  bytes < 1024 * 1024 ? `${bytes.toLocaleString('en-US')} bytes` : `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/** Why `stats` is not a readable data file of at most `maxBytes`, or null when it is. */
export function notReadableReason(stats: Stats, maxBytes: number): string | null {
  if (stats.isDirectory()) return 'it is a folder, not a file';
  if (!stats.isFile()) return 'it is not a regular file (a device, a pipe or a socket)';
  if (stats.size > maxBytes) return `it is ${mb(stats.size)}; the limit is ${mb(maxBytes)}`;
  return null;
}

/** The sentence for a failed open or stat (no such file, permission denied, …). */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    default:
      return code !== undefined ? `it cannot be read (${code})` : 'it cannot be read';
  }
}

/**
 * Checks, without opening it, that `file` is a regular file of at most `maxBytes` (what
 * `validate` does for a project's data set). Returns the reason it is not, or null.
 */
export function checkDataFile(file: string, maxBytes: number): string | null {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (err) {
    return describeFsError(err);
  }
  return notReadableReason(stats, maxBytes);
}

function fail(reason: string): never {
  throw new FileReadError(reason);
}

/**
 * Reads `file` as UTF-8 text: a regular file of at most `maxBytes`, else a FileReadError whose
 * message is the reason ("no such file", "it is not a regular file …", "it is 80 MB; the limit
 * is 64 MB"). Synchronous: for worker threads and the CLI, never the thread that serves the API.
 */
export function readTextBoundedSync(file: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (err) {
    return fail(describeFsError(err));
  }
  try {
    const why = notReadableReason(fstatSync(fd), maxBytes);
    if (why !== null) fail(why);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > maxBytes) fail(`it is larger than the limit of ${mb(maxBytes)}`);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * The same as {@link readTextBoundedSync} off the calling thread (libuv's pool), abortable
 * between chunks: `signal` (e.g. `AbortSignal.timeout(ms)`) stops a read that takes too long.
 */
export async function readTextBounded(file: string, maxBytes: number, signal?: AbortSignal): Promise<string> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, OPEN_FLAGS);
  } catch (err) {
    return fail(describeFsError(err));
  }
  try {
    const why = notReadableReason(await handle.stat(), maxBytes);
    if (why !== null) fail(why);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      if (signal?.aborted) fail('reading it took too long');
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) fail(`it is larger than the limit of ${mb(maxBytes)}`);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}
