// Crash-safe file writes: a save interrupted at any instant (power cut, SIGKILL, full disk)
// leaves either the previous file or the new one on disk, never a torn mix.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AtomicWriteOptions {
  /** Keep the file being replaced as `<name>.bak` (default true). */
  backup?: boolean;
}

const MAX_SYMLINK_HOPS = 40;

/**
 * Follows a chain of symlinks to the file that really holds the data, so that a save
 * through a link rewrites the link's target and keeps the link (a rename onto the link
 * itself would replace it with a regular file). A dangling link resolves to the path it
 * points at, which is then created.
 */
export async function resolveWriteTarget(filePath: string): Promise<string> {
  let current = path.resolve(filePath);
  for (let hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
    let stat;
    try {
      stat = await fsp.lstat(current);
    } catch (err) {
      if (isCode(err, 'ENOENT')) return current;
      throw err;
    }
    if (!stat.isSymbolicLink()) return current;
    const link = await fsp.readlink(current);
    current = path.resolve(path.dirname(current), link);
  }
  throw new Error(
    `Cannot save "${filePath}": it is a chain of more than ${MAX_SYMLINK_HOPS} symbolic links (a loop?).`,
  );
}

/** The path of the backup kept beside `target`. */
export function backupPathFor(target: string): string {
  return `${target}.bak`;
}

/**
 * Writes `data` to `filePath` atomically: temp file in the same folder, fsync, rename over
 * the target, fsync the folder. The previous version is kept as `<name>.bak` (hard link of
 * the old inode, so the backup costs no copy and is itself complete or absent).
 *
 * @example
 *   await writeFileAtomic('model.bps.json', JSON.stringify(project));
 */
export async function writeFileAtomic(
  filePath: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const target = await resolveWriteTarget(filePath);
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let mode: number | undefined;
  let exists = false;
  try {
    const st = await fsp.stat(target);
    exists = st.isFile();
    mode = st.mode & 0o7777;
    if (!st.isFile()) throw new Error(`Cannot save "${filePath}": a folder or special file is in the way.`);
  } catch (err) {
    if (!isCode(err, 'ENOENT')) throw err;
  }

  const handle = await fsp.open(tmp, 'wx', mode ?? 0o644);
  try {
    try {
      await handle.writeFile(data);
      // NOTE: without this fsync a crash after the rename can leave a zero-length file
      // on ext4/xfs: the rename's metadata reaches the disk before the data does.
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.backup !== false && exists) await replaceBackup(target);
    await fsp.rename(tmp, target);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDirectory(dir);
}

async function replaceBackup(target: string): Promise<void> {
  const bak = backupPathFor(target);
  // Named like the data temp file so removeStaleTempFiles also finds it after a crash.
  const tmpBak = path.join(path.dirname(target), `.${path.basename(target)}.bak.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fsp.link(target, tmpBak);
  } catch {
    // File systems without hard links (FAT, some network shares): copy instead.
    await fsp.copyFile(target, tmpBak);
    const h = await fsp.open(tmpBak, 'r+');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  }
  await fsp.rename(tmpBak, bak);
}

async function syncDirectory(dir: string): Promise<void> {
  let h;
  try {
    h = await fsp.open(dir, 'r');
    await h.sync();
  } catch {
    // Windows and some file systems cannot fsync a folder; the rename is still atomic there.
  } finally {
    await h?.close().catch(() => undefined);
  }
}

/** Removes temp files left in `dir` by saves that were killed mid-write. */
export async function removeStaleTempFiles(dir: string, baseName: string): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (name.startsWith(`.${baseName}.`) && name.endsWith('.tmp')) {
      await fsp.rm(path.join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}

function isCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
