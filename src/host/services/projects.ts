// The projects service: open, save (atomically, with a backup), recent files, autosave and recovery.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { loadProject, loadProjectValue, saveProject } from '../../engine/graph/load';
import type { LoadResult } from '../../engine/graph/load';
import { newProject } from '../../engine/graph/schema';
import type { Project } from '../../engine/graph/schema';
import { HostError } from '../errors';
import type { Handlers } from '../host';
import { backupPathFor, removeStaleTempFiles, writeFileAtomic } from '../files/atomicWrite';
import { FileReadError, readTextBounded } from '../files/readBounded';
import type { FileAccess } from '../files/fileAccess';
import type { RecentFiles } from '../files/recentFiles';
import type { RecoveryStore } from '../files/recovery';

/** Project files larger than this are refused before reading (the loader's own limit). */
const MAX_PROJECT_BYTES = 64 * 1024 * 1024;
/** A project file that takes longer than this to read (a hung network share) is given up. */
const READ_TIMEOUT_MS = 30_000;

export interface ProjectsDeps {
  recent: RecentFiles;
  recovery: RecoveryStore;
  /** The paths a client may open and save (dialogs, recent files, examples). */
  files: FileAccess;
}

type ProjectChannels =
  | 'projects.new'
  | 'projects.open'
  | 'projects.openContent'
  | 'projects.save'
  | 'projects.saveAs'
  | 'projects.saveContent'
  | 'projects.recent'
  | 'projects.autosave'
  | 'projects.discardRecovery'
  | 'projects.recoverable'
  | 'projects.recover';

/** The document of a load result, as it crosses the boundary. */
export function asDocument(project: Project): Record<string, unknown> {
  return JSON.parse(saveProject(project)) as Record<string, unknown>;
}

/** A document from a client, checked by the engine's loader; refuses what cannot be a project. */
export function requireProject(
  document: unknown,
  what = 'The document',
): { project: Project; issues: { path: string; message: string }[] } {
  const r = loadProjectValue(document);
  if (!r.ok)
    throw new HostError(
      'invalid-request',
      r.error.replace(/^Cannot open the project/, `${what} is not a valid project`),
    );
  return { project: r.project, issues: [...r.issues] };
}

function titleOf(project: Project, filePath: string | null): string {
  if (project.name.trim() !== '' && project.name !== 'Untitled') return project.name;
  return filePath === null
    ? 'Untitled'
    : path
        .basename(filePath)
        .replace(/\.json$/i, '')
        .replace(/\.bps$/i, '');
}

function opened(
  r: LoadResult,
  filePath: string | null,
): {
  path: string | null;
  title: string;
  document: Record<string, unknown>;
  issues: { path: string; message: string }[];
} {
  if (!r.ok) throw new HostError('invalid-request', r.error, filePath ?? undefined);
  return {
    path: filePath,
    title: titleOf(r.project, filePath),
    document: asDocument(r.project),
    issues: [...r.issues],
  };
}

async function readProjectFile(filePath: string): Promise<string> {
  try {
    return await readTextBounded(filePath, MAX_PROJECT_BYTES, AbortSignal.timeout(READ_TIMEOUT_MS));
  } catch (err) {
    if (!(err instanceof FileReadError)) throw err;
    const code = err.message === 'no such file' ? 'not-found' : 'invalid-request';
    const why = code === 'not-found' ? 'the file does not exist (it may have been moved or deleted)' : err.message;
    throw new HostError(code, `Cannot open "${filePath}": ${why}.`, filePath);
  }
}

async function backupHint(filePath: string): Promise<string> {
  try {
    const r = loadProject(await fsp.readFile(backupPathFor(filePath), 'utf8'));
    return r.ok ? ` The previous version is intact in "${path.basename(backupPathFor(filePath))}".` : '';
  } catch {
    return '';
  }
}

export function projectsHandlers(deps: ProjectsDeps): Pick<Handlers, ProjectChannels> {
  const save = async (
    abs: string,
    document: unknown,
    recoveryKey: string | undefined,
  ): Promise<{ path: string; title: string; savedAt: string }> => {
    const { project } = requireProject(document);
    try {
      await writeFileAtomic(abs, saveProject(project));
    } catch (err) {
      const code = (err as { code?: string }).code;
      const why =
        code === 'ENOENT'
          ? 'its folder does not exist'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : code === 'ENOSPC'
              ? 'the disk is full'
              : (err as Error).message;
      throw new HostError('failed', `Cannot save "${abs}": ${why}. The file on disk was not changed.`, abs);
    }
    const title = titleOf(project, abs);
    await deps.recent.add(abs, title).catch(() => undefined);
    if (recoveryKey !== undefined) await deps.recovery.clear(recoveryKey);
    return { path: abs, title, savedAt: new Date().toISOString() };
  };

  return {
    'projects.new': async ({ name }) => opened({ ok: true, project: newProject(name ?? 'Untitled'), issues: [] }, null),
    'projects.open': async ({ path: p }, ctx) => {
      const abs = await deps.files.check(p, 'open', ctx);
      const text = await readProjectFile(abs);
      const r = loadProject(text);
      if (!r.ok) throw new HostError('invalid-request', `${r.error}${await backupHint(abs)}`, abs);
      await removeStaleTempFiles(path.dirname(abs), path.basename(abs));
      const out = opened(r, abs);
      await deps.recent.add(abs, out.title).catch(() => undefined);
      return out;
    },
    'projects.openContent': async ({ content, fileName }) => {
      const r = loadProject(content);
      const out = opened(r, null);
      if (out.title === 'Untitled' && fileName !== undefined)
        out.title = path.basename(fileName).replace(/\.json$/i, '');
      return out;
    },
    'projects.save': async ({ path: p, document, recoveryKey }, ctx) =>
      save(await deps.files.check(p, 'save', ctx), document, recoveryKey),
    'projects.saveAs': async ({ path: p, document, recoveryKey, overwrite }, ctx) => {
      const abs = await deps.files.check(p, 'save', ctx);
      if (overwrite !== true) {
        const exists = await fsp.stat(abs).then(
          () => true,
          () => false,
        );
        if (exists) throw new HostError('conflict', `"${abs}" already exists; confirm to replace it.`, abs);
      }
      return save(abs, document, recoveryKey);
    },
    'projects.saveContent': async ({ document }) => {
      const { project } = requireProject(document);
      const base = (project.name.trim() || 'Untitled').replace(/[^\p{L}\p{N} _.-]+/gu, '_').slice(0, 100);
      return { content: saveProject(project), fileName: `${base}.json` };
    },
    'projects.recent': async () => ({ files: await deps.recent.list() }),
    'projects.autosave': async ({ key, path: p, title, document }, ctx) => {
      // Autosave keeps whatever the user has, even a document the loader would repair. The path
      // is kept only if the client may save there: recovering the work grants it again.
      const allowed = p !== null && (await deps.files.allows(path.resolve(p), 'save', ctx));
      deps.recovery.schedule(key, { path: allowed ? path.resolve(p) : null, title, content: JSON.stringify(document) });
      return {};
    },
    'projects.discardRecovery': async ({ key }) => {
      await deps.recovery.clear(key);
      return {};
    },
    'projects.recoverable': async () => ({
      previousRunCrashed: deps.recovery.previousRunCrashed,
      entries: (await deps.recovery.list()).map((e) => ({
        key: e.key,
        path: e.path,
        title: e.title,
        savedAt: e.savedAt,
      })),
    }),
    'projects.recover': async ({ key }, ctx) => {
      const entry = await deps.recovery.read(key);
      if (entry === null)
        throw new HostError('not-found', `There is no recovered work named "${key}" (it was saved or discarded).`);
      const r = loadProject(entry.content);
      const out = opened(r, entry.path);
      // Written by autosave only for a path the client could save to (in this run or an earlier one).
      if (entry.path !== null && ctx.transport !== 'websocket') deps.files.grant(entry.path);
      return { ...out, title: entry.title || out.title, key };
    },
  };
}
