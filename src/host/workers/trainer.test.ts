import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../engine/graph/load';
import type { Project } from '../../engine/graph/schema';
import { loadProjectData } from './projectData';
import type { FromWorker, SessionInit, ToWorker } from './sessionProtocol';
import { CONTROL_WORDS } from './sessionProtocol';
import { StepRuntime } from './stepRuntime';
import type { TrainerEvent } from './trainer';
import { Trainer } from './trainer';
import { FLUSH_INTERVAL_MS } from './trainingEvents';
import { baseWorkerOptions, resolveWorkerEntry } from './workerEntry';

/**
 * Training events travel together: the events of one flush (progress, the batch metrics, the epoch
 * points and, when due, the edge summaries) are one message to the host, a few a second, since
 * each message wakes the host's thread. Counted, never timed: the trainer on a clock that advances
 * per training step, and a real session worker thread whose messages are counted as they arrive.
 */
const xor = (): Project => {
  const r = loadProject(readFileSync(path.resolve(__dirname, '../../../resources/examples/xor-mlp.json'), 'utf8'));
  if (!r.ok) throw new Error(r.error);
  return r.project;
};

/** A message's events by name without the `training.` prefix, e.g. ['edges', 'metrics', 'progress']. */
const kinds = (events: readonly TrainerEvent[]): string[] => events.map((e) => e.event.replace(/^training\./, ''));

const control = (): Int32Array => new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));

describe('the trainer posts a flush as one message', () => {
  it('on a clock of 100 ms per step: each flush one message, every batch flush with its edge summaries', async () => {
    const rt = new StepRuntime(xor(), null, 'float32');
    const messages: TrainerEvent[][] = [];
    const sink = { emit: (events: readonly TrainerEvent[]) => messages.push([...events]), checkpoint: () => undefined };
    // Time is the steps trained, 100 ms each.
    const trainer = new Trainer(
      's',
      rt,
      () => loadProjectData(rt.project),
      control(),
      sink,
      undefined,
      () => rt.step * 100,
    );
    // XOR: 160 training examples in batches of 16, so 10 steps an epoch; 3 epochs.
    trainer.start({ epochs: 3 });
    await trainer.settled();
    expect(rt.step).toBe(30);

    // The gates open FLUSH_INTERVAL_MS after a flush, in the middle of a step; the next step begins
    // with them open, so the loop asks for its edge tensors and its end is the flush: steps 1, 5, 9,
    // 13, 17, 24, 28. The epoch that ends at step 20 comes 300 ms after a flush and flushes itself.
    expect(FLUSH_INTERVAL_MS).toBe(250);
    const batch = ['edges', 'metrics', 'progress'];
    expect(messages.map(kinds)).toEqual([
      ['state'],
      batch, // 1
      batch, // 5
      batch, // 9
      ['edges', 'metrics', 'epoch', 'progress'], // 13, with the point of the epoch that ended at 10
      batch, // 17
      ['metrics', 'epoch', 'progress'], // 20, the end of an epoch
      batch, // 24
      batch, // 28
      // The run's end flushes what is left (steps 29-30 and the last epoch's point), then says so.
      ['metrics', 'epoch', 'progress'],
      ['state'],
      ['finished'],
    ]);
    const steps = (event: string) =>
      messages
        .flat()
        .filter((e) => e.event === event)
        .map((e) => (e.payload as { step: number }).step);
    expect(steps('training.progress')).toEqual([1, 5, 9, 13, 17, 20, 24, 28, 30]);
    expect(steps('training.edges')).toEqual([1, 5, 9, 13, 17, 24, 28]);
    // 12 messages for 31 events; one event a message would be 31.
    expect(messages.length).toBe(12);
    expect(messages.flat().length).toBe(31);
  });

  it('a session worker thread posts each flush as one message', async () => {
    const project = xor();
    const init: SessionInit = {
      sessionId: 'events',
      project,
      dtype: 'float32',
      checkpoint: null,
      control: control(),
      memoryBudgetBytes: 256 * 1024 * 1024,
      poolWorkers: 0,
    };
    const entry = resolveWorkerEntry('sessionWorker');
    const worker = new Worker(entry.spec, { ...baseWorkerOptions(entry), workerData: init });
    const messages: TrainerEvent[][] = [];
    try {
      const finished = new Promise<void>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('message', (msg: FromWorker) => {
          if (msg.type === 'init-failed') reject(new Error(msg.error.message));
          else if (msg.type === 'ready')
            worker.postMessage({
              type: 'call',
              id: 1,
              channel: 'training.start',
              request: { sessionId: init.sessionId, epochs: 200 },
            } satisfies ToWorker);
          else if (msg.type === 'result' && !msg.ok) reject(new Error(msg.error.message));
          else if (msg.type === 'events') {
            messages.push([...msg.events]);
            if (msg.events.some((e) => e.event === 'training.finished')) resolve();
          }
        });
      });
      await finished;
    } finally {
      await worker.terminate();
    }
    const all = messages.flat();
    const progress = messages.filter((m) => m.some((e) => e.event === 'training.progress'));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    // The first batch opens both gates: its edges, metrics and progress go in one message.
    expect(kinds(messages[0])).toEqual(['state']);
    expect(kinds(messages[1])).toEqual(['edges', 'metrics', 'progress']);
    // Every flush during the run carries its progress with what it reports: a batch's its edge
    // summaries and metrics, an epoch's end its points (the run's end carries what is left).
    for (const m of progress.slice(0, -1)) {
      const k = kinds(m);
      expect(k.includes('edges') || k.includes('epoch'), k.join(' ')).toBe(true);
      expect(k.includes('metrics') || k.includes('epoch'), k.join(' ')).toBe(true);
    }
    expect(kinds(messages.at(-2)!)).toEqual(['state']);
    expect(kinds(messages.at(-1)!)).toEqual(['finished']);
    expect(
      all
        .filter((e) => e.event === 'training.epoch')
        .flatMap((e) => (e.payload as { train: { points: unknown[] } | null }).train?.points ?? []),
    ).toHaveLength(200);
    // No event travels alone: every message is a flush's, or the run's state or its end.
    expect(messages.length).toBe(progress.length + 3);
    expect(all.length).toBeGreaterThanOrEqual(2 * messages.length - 4);
  }, 120_000);
});
