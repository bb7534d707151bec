// Which files the host reads or writes for a client. The renderer is untrusted (docs/architecture.md),
// so a path it sends is never taken on its word: the host keeps the allow-list. A path is accepted
// only when it came from a native dialog in this run, from the recent-files list the host itself
// keeps, from the bundled examples, or lies in the data folder (imported CSV data sets). Browser
// mode has no dialogs and its UI uploads and downloads, so the path methods refuse a WebSocket caller.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { HostError } from '../errors';
import type { CallContext } from '../host';
import type { RecentFiles } from './recentFiles';

/** What a path is wanted for: reading a project, writing a project, or reading a data set. */
export type FileUse = 'open' | 'save' | 'data';

export interface FileAccessOptions {
  /** The host's data folder: `<dataDir>/datasets` holds the imported CSV files. */
  readonly dataDir: string;
  /** The bundled examples (read only). */
  readonly examplesDir: string | null;
  /** The host's own recent-files list. */
  readonly recent: RecentFiles;
}

const BROWSER_REFUSAL =
  'In the browser the host takes no file paths: open a project by uploading it, save it by downloading, and bring data in with Import CSV.';

/** The canonical form of a path: absolute, with every symlink of its existing part resolved. */
async function realPathOf(p: string): Promise<string> {
  const abs = path.resolve(p);
  const rest: string[] = [];
  let dir = abs;
  for (;;) {
    try {
      return path.join(await fsp.realpath(dir), ...rest);
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return abs;
      rest.unshift(path.basename(dir));
      dir = parent;
    }
  }
}

async function inside(file: string, root: string | null): Promise<boolean> {
  if (root === null) return false;
  const [f, r] = await Promise.all([realPathOf(file), realPathOf(root)]);
  const rel = path.relative(r, f);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The host's allow-list of paths. `grant` is called by the host for a path a native dialog
 * returned; `check` answers the absolute path to use, or throws `unauthorized` without touching
 * the file (so a refusal reveals nothing about it).
 */
export class FileAccess {
  private readonly granted = new Set<string>();

  constructor(private readonly options: FileAccessOptions) {}

  /** A path the user chose in a native dialog: it may be opened and saved for the rest of this run. */
  grant(filePath: string): void {
    this.granted.add(path.resolve(filePath));
  }

  /** The absolute path to read or write, if this caller may; throws a HostError otherwise. */
  async check(filePath: string, use: FileUse, ctx: CallContext): Promise<string> {
    const abs = path.resolve(filePath);
    if (await this.allows(abs, use, ctx)) return abs;
    if (ctx.transport === 'websocket') throw new HostError('unauthorized', BROWSER_REFUSAL);
    const how =
      use === 'data'
        ? 'a data set is read only from the data folder (import it with Import CSV)'
        : use === 'save'
          ? 'a project is saved only to a file chosen in the Save dialog or one opened or saved before'
          : 'a project is opened only from a file chosen in the Open dialog, the recent files or the examples';
    throw new HostError('unauthorized', `The host does not ${use === 'save' ? 'write' : 'read'} "${abs}": ${how}.`);
  }

  /** Whether the caller may use the path (no error thrown). */
  async allows(abs: string, use: FileUse, ctx: CallContext): Promise<boolean> {
    const { dataDir, examplesDir, recent } = this.options;
    if (use === 'data') return inside(abs, path.join(dataDir, 'datasets'));
    // A browser page gets no project file by path at all: its UI uploads and downloads.
    if (ctx.transport === 'websocket') return false;
    // The bundled examples are read only, whatever else lists them (an opened example is a recent file).
    if (use === 'save' && (await inside(abs, examplesDir))) return false;
    if (this.granted.has(abs)) return true;
    if ((await recent.list()).some((f) => f.path === abs)) return true;
    return use === 'open' && (await inside(abs, examplesDir));
  }
}
