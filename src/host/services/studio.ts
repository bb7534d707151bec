// Assembles the application services (projects, examples, graph, sessions, training, export,
// datasets) with their shared state, for createHost.
import os from 'node:os';
import path from 'node:path';
import type { Handlers } from '../host';
import { FileAccess } from '../files/fileAccess';
import { RecentFiles } from '../files/recentFiles';
import { RecoveryStore } from '../files/recovery';
import { SessionManager } from '../sessions/sessionManager';
import { examplesHandlers, findResourceDir } from './examples';
import { exportHandlers } from './export';
import { customNodeService } from './customNode';
import { graphHandlers } from './graph';
import { projectsHandlers } from './projects';
import { datasetsHandlers } from './datasets';
import type { SessionChannel } from '../../shared/api/contract';
import { sessionHandlers } from './session';

export interface StudioOptions {
  /** Where recent files and recovery files live (Electron: app.getPath('userData')). */
  dataDir?: string;
  /** The bundled examples; found from the module's location when omitted. */
  examplesDir?: string | null;
  /** Session worker limits; see SessionManagerOptions. */
  sessions?: {
    heapLimitMb?: number;
    tensorBudgetMb?: number;
    poolWorkers?: number;
    maxSessions?: number;
    processBudgetMb?: number;
    spareWorker?: boolean;
  };
  /** The Host's emit, for session and training events. */
  emit: (event: string, payload: unknown) => void;
}

export type StudioChannels =
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
  | 'projects.recover'
  | 'examples.list'
  | 'examples.open'
  | 'graph.validate'
  | 'customNode.check'
  | 'graph.inferShapes'
  | 'export.code'
  | 'export.folder'
  | 'datasets.list'
  | 'datasets.preview'
  | 'datasets.importCsv'
  | SessionChannel;

export interface Studio {
  handlers: Pick<Handlers, StudioChannels>;
  sessions: SessionManager;
  /** The paths this host reads and writes for its clients (native dialogs grant theirs here). */
  files: FileAccess;
  /** Stops every session worker and marks this run as ended cleanly (no crash recovery offered). */
  close(): Promise<void>;
}

/** BACKPROP_STUDIO_DATA_DIR when set (tests, CI, portable installs), else ~/.backprop-studio. */
export function defaultDataDir(): string {
  const fromEnv = process.env['BACKPROP_STUDIO_DATA_DIR'];
  return fromEnv !== undefined && fromEnv !== '' ? path.resolve(fromEnv) : path.join(os.homedir(), '.backprop-studio');
}

export function createStudio(options: StudioOptions): Studio {
  const dataDir = options.dataDir ?? defaultDataDir();
  const recent = new RecentFiles(path.join(dataDir, 'recent.json'));
  const recovery = new RecoveryStore(path.join(dataDir, 'recovery'));
  // The crash marker is written on first use, so merely constructing a host touches no disk.
  let started: Promise<unknown> | null = null;
  const ensureStarted = (): Promise<unknown> => (started ??= recovery.start().catch(() => undefined));
  const examplesDir = options.examplesDir !== undefined ? options.examplesDir : findResourceDir('examples');
  const files = new FileAccess({ dataDir, examplesDir, recent });
  const sessions = new SessionManager({ emit: options.emit, ...options.sessions });
  const custom = customNodeService();
  const projects = projectsHandlers({ recent, recovery, files });
  const withStart = <K extends keyof typeof projects>(k: K): (typeof projects)[K] =>
    (async (req: never, ctx: never) => {
      await ensureStarted();
      return (projects[k] as (r: never, c: never) => Promise<unknown>)(req, ctx);
    }) as unknown as (typeof projects)[K];
  const handlers: Pick<Handlers, StudioChannels> = {
    ...projects,
    'projects.autosave': withStart('projects.autosave'),
    'projects.recoverable': withStart('projects.recoverable'),
    'projects.recover': withStart('projects.recover'),
    ...examplesHandlers(examplesDir),
    ...graphHandlers(files),
    ...custom.handlers,
    ...exportHandlers(),
    ...datasetsHandlers(dataDir, files),
    ...sessionHandlers(sessions, files),
  };
  return {
    handlers,
    sessions,
    files,
    close: async () => {
      await Promise.all([sessions.closeAll(), custom.close()]);
      if (started !== null) await recovery.close();
    },
  };
}
