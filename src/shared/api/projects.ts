import { z } from 'zod';
import { method } from './method';

/**
 * A project document as it crosses the boundary: a JSON object. Its structure is checked by
 * the host with the engine's project loader (which repairs, flags and migrates), not here, so
 * that a file with a few bad nodes still opens with those nodes flagged.
 */
export const projectDocumentSchema = z.record(z.string(), z.unknown());
export type ProjectDocument = z.infer<typeof projectDocumentSchema>;

/** Something the loader repaired or skipped while opening a document. */
export const loadIssueSchema = z.object({ path: z.string(), message: z.string() });

const filePath = z.string().min(1).max(4096);
/** Identifies one open document's recovery file (the renderer picks it, e.g. a UUID). */
export const recoveryKeySchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

const opened = z.object({
  path: z.string().nullable(),
  title: z.string(),
  document: projectDocumentSchema,
  issues: z.array(loadIssueSchema),
});

const saved = z.object({ path: z.string(), title: z.string(), savedAt: z.string() });

export const projectsMethods = {
  /** An empty project with default training settings. */
  'projects.new': method(z.object({ name: z.string().max(200).optional() }).strict(), opened),
  /** Opens a file by path (the path comes from the desktop app's dialog or the recent list). */
  'projects.open': method(z.object({ path: filePath }).strict(), opened),
  /** Browser mode: opens the text of an uploaded file. */
  'projects.openContent': method(
    z.object({ content: z.string().max(64 * 1024 * 1024), fileName: z.string().max(500).optional() }).strict(),
    opened,
  ),
  /** Saves atomically, keeps the previous version as `<file>.bak`, clears the recovery file. */
  'projects.save': method(
    z.object({ path: filePath, document: projectDocumentSchema, recoveryKey: recoveryKeySchema.optional() }).strict(),
    saved,
  ),
  /** Like save, to a new path; refuses to replace an existing file unless `overwrite`. */
  'projects.saveAs': method(
    z
      .object({
        path: filePath,
        document: projectDocumentSchema,
        recoveryKey: recoveryKeySchema.optional(),
        overwrite: z.boolean().optional(),
      })
      .strict(),
    saved,
  ),
  /** Browser mode: the canonical file text to download. */
  'projects.saveContent': method(
    z.object({ document: projectDocumentSchema }).strict(),
    z.object({ content: z.string(), fileName: z.string() }),
  ),
  'projects.recent': method(
    z.object({}).strict(),
    z.object({
      files: z.array(z.object({ path: z.string(), title: z.string(), openedAt: z.string(), exists: z.boolean() })),
    }),
  ),
  /** Called on every edit: the document is written to its recovery file within a second. */
  'projects.autosave': method(
    z
      .object({
        key: recoveryKeySchema,
        path: filePath.nullable(),
        title: z.string().max(200),
        document: projectDocumentSchema,
      })
      .strict(),
    z.object({}),
  ),
  /** The user saved elsewhere or chose to discard the unsaved work. */
  'projects.discardRecovery': method(z.object({ key: recoveryKeySchema }).strict(), z.object({})),
  /** At start-up: unsaved work left by an earlier run, and whether that run crashed. */
  'projects.recoverable': method(
    z.object({}).strict(),
    z.object({
      previousRunCrashed: z.boolean(),
      entries: z.array(
        z.object({ key: z.string(), path: z.string().nullable(), title: z.string(), savedAt: z.string() }),
      ),
    }),
  ),
  'projects.recover': method(z.object({ key: recoveryKeySchema }).strict(), opened.extend({ key: z.string() })),
};
