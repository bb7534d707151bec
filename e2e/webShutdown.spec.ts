import { expect, test } from '@playwright/test';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchWebServer } from './fixtures';
import { TestApi } from './stepApi';

/**
 * `npm run web` stopped by SIGTERM (src/web/main.ts → stopWithin in src/web/shutdown.ts) closes
 * what it promised before it exits: the server and its sockets, the host's session workers (one
 * training), and the recovery store, which writes the unsaved work and removes its crash marker
 * only after the sessions closed. So the next start offers no crash recovery, and nothing typed is
 * lost. Whether the grace timer or the close ended the process is told apart by the marker, not
 * by time: the timer exits without removing it (and is set to minutes here, so it never wins the race).
 */
test('SIGTERM stops the web server cleanly: exit 0, sockets closed, unsaved work written, no crash marker', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bps-e2e-sigterm-'));
  try {
    // A grace of minutes: on a loaded machine the clean close may take longer than the default
    // 1.5 s, and the grace timer's exit (marker left) would then read as a broken close.
    const { child, info, stderr } = await launchWebServer(dataDir, ['--stop-grace', '300000']);
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const api = await TestApi.open(info);
    const document = JSON.parse(readFileSync(path.resolve('resources/examples/xor-mlp.json'), 'utf8')) as unknown;

    // Unsaved work (written within a second) starts the recovery store, which sets its crash marker.
    await api.call('projects.autosave', { key: 'sigterm', path: null, title: 'XOR', document });
    const marker = path.join(dataDir, 'recovery', 'running.pid');
    expect(existsSync(marker)).toBe(true);

    // A session worker that is training when the signal comes.
    let progress = 0;
    const training = new Promise<void>((resolve) =>
      api.onEvent((event) => {
        if (event === 'training.progress' && ++progress === 1) resolve();
      }),
    );
    const { sessionId } = await api.call<{ sessionId: string }>('session.create', { project: document });
    await api.call('training.start', { sessionId, epochs: 100_000 });
    await training;

    // An edit just before the signal: its autosave waits for its delay when the stop comes (unless
    // the machine is slower than that delay), so the stop writes it.
    const edited = { ...(document as object), name: 'XOR, edited just before the stop' };
    await api.call('projects.autosave', { key: 'sigterm', path: null, title: 'XOR', document: edited });
    child.kill('SIGTERM');
    const [code, signal] = await exited;
    expect({ code, signal }, stderr()).toEqual({ code: 0, signal: null });
    await api.closed;
    // The host closed (its sessions first), not the grace timer: the marker is gone.
    expect(existsSync(marker)).toBe(false);
    const saved = JSON.parse(readFileSync(path.join(dataDir, 'recovery', 'sigterm.recovery.json'), 'utf8')) as {
      content: string;
    };
    expect(JSON.parse(saved.content)).toEqual(edited);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
