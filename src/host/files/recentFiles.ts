// The recent-files list, kept in the user's data folder.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomicWrite';

export const MAX_RECENT_FILES = 10;

const recentSchema = z.object({
  version: z.literal(1),
  files: z.array(z.object({ path: z.string().min(1), title: z.string(), openedAt: z.string() })),
});

export interface RecentFile {
  path: string;
  title: string;
  openedAt: string;
  /** False when the file has been moved or deleted since. */
  exists: boolean;
}

export class RecentFiles {
  constructor(private readonly file: string) {}

  async list(): Promise<RecentFile[]> {
    const files = await this.readRaw();
    return Promise.all(
      files.map(async (f) => ({
        ...f,
        exists: await fsp
          .stat(f.path)
          .then((s) => s.isFile())
          .catch(() => false),
      })),
    );
  }

  async add(filePath: string, title: string): Promise<void> {
    const abs = path.resolve(filePath);
    const files = (await this.readRaw()).filter((f) => f.path !== abs);
    files.unshift({ path: abs, title, openedAt: new Date().toISOString() });
    await this.write(files.slice(0, MAX_RECENT_FILES));
  }

  async remove(filePath: string): Promise<void> {
    const abs = path.resolve(filePath);
    await this.write((await this.readRaw()).filter((f) => f.path !== abs));
  }

  private async readRaw(): Promise<z.infer<typeof recentSchema>['files']> {
    try {
      const parsed = recentSchema.safeParse(JSON.parse(await fsp.readFile(this.file, 'utf8')));
      // A damaged list is not worth an error dialog: start a fresh one.
      return parsed.success ? parsed.data.files : [];
    } catch {
      return [];
    }
  }

  private async write(files: z.infer<typeof recentSchema>['files']): Promise<void> {
    await fsp.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify({ version: 1, files }, null, 2), { backup: false });
  }
}
