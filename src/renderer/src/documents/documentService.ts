import type { GraphDoc } from '../state/docModel';

/** A document read from somewhere, with whatever the loader had to repair. */
export interface OpenedDocument {
  readonly doc: GraphDoc;
  /** What `save` needs to write it back (a path on the host, a browser file name), or null. */
  readonly handle: string | null;
  readonly name: string;
  readonly issues: readonly string[];
}

export interface SavedDocument {
  readonly handle: string;
  readonly name: string;
}

export interface RecoveredDocument extends OpenedDocument {
  /** When the unsaved work was last stored (ms since the epoch). */
  readonly savedAt: number;
  /** Forgets this recovery copy (after it was recovered into this window or declined). */
  discard(): void;
}

/**
 * Where documents live. The app talks only to this interface, so moving from browser downloads
 * to the host's project files is a change of one implementation (see `documents.ts`).
 */
export interface DocumentService {
  readonly kind: 'host' | 'browser';
  /** Asks the user for a project file and reads it; null when the user cancels. */
  open(): Promise<OpenedDocument | null>;
  openRecent(handle: string): Promise<OpenedDocument | null>;
  /** Writes to `handle`, or asks where when there is none; null when the user cancels. */
  save(doc: GraphDoc, handle: string | null, name: string): Promise<SavedDocument | null>;
  saveAs(doc: GraphDoc, name: string): Promise<SavedDocument | null>;
  /** Keeps unsaved work safe for recovery after a crash; called after edits (debounced by the caller). */
  autosave(doc: GraphDoc, handle: string | null, name: string): void;
  /** The work left unsaved by a crash or a closed window, if any. */
  recoverable(): Promise<RecoveredDocument | null>;
  /** Files the host remembers as recently opened, newest first (desktop only). */
  recentFiles(): Promise<readonly { handle: string; name: string }[] | null>;
  /** Forgets the recovery copy (after saving, discarding or recovering it). */
  clearRecovery(): void;
}
