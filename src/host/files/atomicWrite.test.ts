import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { fork } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { backupPathFor, removeStaleTempFiles, writeFileAtomic } from './atomicWrite';
import { checkDocument, makeCheckedDocument } from './testing/checkedDocument';

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bps-atomic-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes a new file and keeps the previous version as a backup', async () => {
    const f = path.join(dir, 'a.json');
    await writeFileAtomic(f, 'one');
    expect(await fsp.readFile(f, 'utf8')).toBe('one');
    await expect(fsp.access(backupPathFor(f))).rejects.toThrow();
    await writeFileAtomic(f, 'two');
    expect(await fsp.readFile(f, 'utf8')).toBe('two');
    expect(await fsp.readFile(backupPathFor(f), 'utf8')).toBe('one');
    await writeFileAtomic(f, 'three');
    expect(await fsp.readFile(backupPathFor(f), 'utf8')).toBe('two');
    expect((await fsp.readdir(dir)).sort()).toEqual(['a.json', 'a.json.bak']);
  });

  it('writes through a symlink to its target and keeps the link', async () => {
    const real = path.join(dir, 'real.json');
    const link = path.join(dir, 'link.json');
    await fsp.writeFile(real, 'old');
    await fsp.symlink('real.json', link);
    await writeFileAtomic(link, 'new');
    expect((await fsp.lstat(link)).isSymbolicLink()).toBe(true);
    expect(await fsp.readFile(real, 'utf8')).toBe('new');
    expect(await fsp.readFile(backupPathFor(real), 'utf8')).toBe('old');
  });

  it('keeps the file mode of the file it replaces', async () => {
    const f = path.join(dir, 'm.json');
    await fsp.writeFile(f, 'x', { mode: 0o600 });
    await fsp.chmod(f, 0o600);
    await writeFileAtomic(f, 'y');
    expect((await fsp.stat(f)).mode & 0o777).toBe(0o600);
  });

  it('refuses a symlink loop with a clear message', async () => {
    await fsp.symlink('b', path.join(dir, 'a'));
    await fsp.symlink('a', path.join(dir, 'b'));
    await expect(writeFileAtomic(path.join(dir, 'a'), 'x')).rejects.toThrow(/symbolic links/);
  });

  it('leaves the old file untouched and no temp file when the write fails', async () => {
    const f = path.join(dir, 'dir-in-the-way');
    await fsp.mkdir(f);
    await expect(writeFileAtomic(f, 'x')).rejects.toThrow(/folder/);
    expect((await fsp.readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('saves killed (SIGKILL) at random points leave the old or the new file, never a broken one', async () => {
    const f = path.join(dir, 'project.json');
    await writeFileAtomic(f, makeCheckedDocument(0));
    const child = fileURLToPath(new URL('./testing/saveLoop.ts', import.meta.url));
    const kills = 25;
    let last = 0;
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let k = 0; k < kills; k++) {
      const proc = fork(child, [f, String(last + 1)], { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
      // The loop reports every completed save. The first kill lands right after the first one (the
      // tightest case: the backup was made just before); the others after 1 to 4 more saves and a
      // random pause, so they land at random points of a save, and every kill follows real saves
      // however slow the machine is.
      const savesBeforeKill = k === 0 ? 1 : 2 + Math.floor(rand() * 4);
      await new Promise<void>((resolve, reject) => {
        let saves = 0;
        proc.on('message', () => {
          if (++saves === savesBeforeKill) resolve();
        });
        proc.once('exit', (code) => reject(new Error(`save loop exited early (${String(code)})`)));
      });
      if (k > 0) await new Promise((r) => setTimeout(r, rand() * 20));
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
      const main = checkDocument(await fsp.readFile(f, 'utf8'));
      expect(typeof main, `after kill ${k}: ${String(main)}`).toBe('number');
      expect(main as number).toBeGreaterThanOrEqual(last);
      const bak = checkDocument(await fsp.readFile(backupPathFor(f), 'utf8'));
      expect(typeof bak, `backup after kill ${k}: ${String(bak)}`).toBe('number');
      last = main as number;
    }
    // The loop really saved versions between kills (at least one before each), so kills landed mid-loop.
    expect(last).toBeGreaterThan(kills);
    expect(await removeStaleTempFiles(dir, 'project.json')).toBeGreaterThanOrEqual(0);
    expect((await fsp.readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 300_000);
});
