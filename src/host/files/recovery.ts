// Autosave of unsaved work to recovery files, and recovery at the next start after a crash.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomicWrite';

/** Edits are written at most this long after the last one (the brief: within a second). */
export const AUTOSAVE_DELAY_MS = 300;
/** A stream of edits never postpones the autosave by more than this. */
export const AUTOSAVE_MAX_WAIT_MS = 900;

const KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const RECOVERY_SUFFIX = '.recovery.json';
const RUNNING_MARKER = 'running.pid';

const recoveryFileSchema = z.object({
  format: z.literal('backprop-studio-recovery'),
  version: z.literal(1),
  key: z.string().regex(KEY_PATTERN),
  path: z.string().nullable(),
  title: z.string(),
  savedAt: z.string(),
  content: z.string(),
});

export type RecoveryEntry = z.infer<typeof recoveryFileSchema>;

export interface RecoverySnapshot {
  /** Where the document was last saved, or null for a new, never-saved document. */
  path: string | null;
  title: string;
  content: string;
}

interface Pending {
  snapshot: RecoverySnapshot;
  timer: ReturnType<typeof setTimeout>;
  firstAt: number;
}

export function isValidRecoveryKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/**
 * Keeps one recovery file per open document in `dir`. `schedule` is called on every edit;
 * the write happens AUTOSAVE_DELAY_MS after the last edit (at most AUTOSAVE_MAX_WAIT_MS
 * after the first unsaved one); `clear` after a successful save or an explicit discard.
 */
export class RecoveryStore {
  private readonly pending = new Map<string, Pending>();
  private readonly writing = new Map<string, Promise<void>>();
  private crashedPreviousRun = false;

  constructor(
    readonly dir: string,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Marks this run as started; tells whether the previous run ended without `close()`. */
  async start(): Promise<{ previousRunCrashed: boolean }> {
    await fsp.mkdir(this.dir, { recursive: true });
    const marker = path.join(this.dir, RUNNING_MARKER);
    try {
      await fsp.access(marker);
      this.crashedPreviousRun = true;
    } catch {
      this.crashedPreviousRun = false;
    }
    await writeFileAtomic(marker, String(process.pid), { backup: false });
    return { previousRunCrashed: this.crashedPreviousRun };
  }

  get previousRunCrashed(): boolean {
    return this.crashedPreviousRun;
  }

  schedule(key: string, snapshot: RecoverySnapshot): void {
    if (!isValidRecoveryKey(key)) throw new Error(`Recovery key "${key}" must be 1-64 letters, digits, "-" or "_".`);
    const now = Date.now();
    const prev = this.pending.get(key);
    if (prev) clearTimeout(prev.timer);
    const firstAt = prev?.firstAt ?? now;
    const delay = Math.max(0, Math.min(AUTOSAVE_DELAY_MS, firstAt + AUTOSAVE_MAX_WAIT_MS - now));
    const timer = setTimeout(() => void this.writeNow(key), delay);
    timer.unref?.();
    this.pending.set(key, { snapshot, timer, firstAt });
  }

  /** Whether an edit of `key` waits for its autosave (its write has not started yet). */
  isPending(key: string): boolean {
    return this.pending.has(key);
  }

  /** Writes every pending snapshot now. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((k) => this.writeNow(k)));
    await Promise.all([...this.writing.values()]);
  }

  async clear(key: string): Promise<void> {
    const p = this.pending.get(key);
    if (p) clearTimeout(p.timer);
    this.pending.delete(key);
    await this.writing.get(key)?.catch(() => undefined);
    if (isValidRecoveryKey(key)) await fsp.rm(this.fileFor(key), { force: true });
  }

  /** Recovery files left by earlier runs (or this one), newest first; unreadable ones are skipped. */
  async list(): Promise<RecoveryEntry[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch {
      return [];
    }
    const out: RecoveryEntry[] = [];
    for (const name of names) {
      if (!name.endsWith(RECOVERY_SUFFIX)) continue;
      try {
        const raw: unknown = JSON.parse(await fsp.readFile(path.join(this.dir, name), 'utf8'));
        const parsed = recoveryFileSchema.safeParse(raw);
        if (parsed.success) out.push(parsed.data);
      } catch {
        // A recovery file is itself written atomically, so this is foreign or hand-edited: skip it.
      }
    }
    return out.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  async read(key: string): Promise<RecoveryEntry | null> {
    if (!isValidRecoveryKey(key)) return null;
    try {
      const parsed = recoveryFileSchema.safeParse(JSON.parse(await fsp.readFile(this.fileFor(key), 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /**
   * A clean shutdown: writes pending snapshots (unsaved work stays recoverable), waits for the
   * writes already under way (a stop right after an autosave's timer fired would otherwise exit
   * mid-write), and removes the crash marker.
   */
  async close(): Promise<void> {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    await this.flushPendingWithoutTimers();
    await Promise.all([...this.writing.values()]);
    await fsp.rm(path.join(this.dir, RUNNING_MARKER), { force: true });
  }

  private async flushPendingWithoutTimers(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((k) => this.writeNow(k)));
  }

  private fileFor(key: string): string {
    return path.join(this.dir, `${key}${RECOVERY_SUFFIX}`);
  }

  private async writeNow(key: string): Promise<void> {
    const p = this.pending.get(key);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(key);
    const entry: RecoveryEntry = {
      format: 'backprop-studio-recovery',
      version: 1,
      key,
      path: p.snapshot.path,
      title: p.snapshot.title,
      savedAt: new Date().toISOString(),
      content: p.snapshot.content,
    };
    // Serialise writes per key so an older snapshot never lands after a newer one.
    const before = this.writing.get(key) ?? Promise.resolve();
    const job = before
      .catch(() => undefined)
      .then(async () => {
        await fsp.mkdir(this.dir, { recursive: true });
        await writeFileAtomic(this.fileFor(key), JSON.stringify(entry), { backup: false });
      })
      .catch((err: unknown) => this.onError(err));
    this.writing.set(key, job);
    await job;
    if (this.writing.get(key) === job) this.writing.delete(key);
  }
}
