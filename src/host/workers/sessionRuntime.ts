// The engine side of a step session, inside its worker: the project, its step session and
// its training loop, exposed as named commands.
import { loadProjectValue } from '../../engine/graph/load';
import type { Project } from '../../engine/graph/schema';
import { trainingSchema } from '../../engine/graph/schema';
import { dumpWeights } from '../../engine/runtime/compile';
import type { TensorRef } from '../../shared/api/session';
import type { ProjectData } from './projectData';
import { batchFor, checkDataFits, loadProjectData } from './projectData';
import type { Checkpoint, SessionInit } from './sessionProtocol';
import { StepRuntime } from './stepRuntime';
import { Trainer } from './trainer';
import { decisionGrid, splitConfusion } from './predictions';
import { SessionError } from './workerErrors';

export interface RuntimeSink {
  emit(event: string, payload: unknown): void;
  checkpoint(checkpoint: Checkpoint): void;
}

export type Command = (params: unknown) => unknown;

export interface SessionRuntime {
  ready: Promise<void>;
  commands: Map<string, Command>;
  trainer: Trainer;
}

/** Loads the session's project; the loader repairs what it can and refuses what is not a project. */
export function loadSessionProject(value: unknown): Project {
  const loaded = loadProjectValue(value);
  if (!loaded.ok) throw new SessionError('invalid-request', loaded.error);
  return loaded.project;
}

type P = Record<string, unknown>;

export function createSessionRuntime(init: SessionInit, sink: RuntimeSink): SessionRuntime {
  const rt = new StepRuntime(loadSessionProject(init.project), init.checkpoint);
  let data: ProjectData | null = null;
  const getData = (): ProjectData => (data ??= loadProjectData(rt.project));
  const trainer = new Trainer(init.sessionId, rt, getData, init.control, {
    emit: sink.emit,
    checkpoint: () => sink.checkpoint(rt.checkpoint()),
  });
  const idle = (): void => {
    if (trainer.active)
      throw new SessionError('busy', 'The model is training; pause or stop training before stepping.');
  };
  const commands = new Map<string, Command>();
  const add = (name: string, fn: (p: P) => unknown): void => void commands.set(name, (p) => fn((p ?? {}) as P));

  add('describe', () => {
    let dataset: { name: string; train: number; dev: number; test: number } | null = null;
    try {
      const d = getData();
      dataset = {
        name: d.dataset.name,
        train: d.split.train.length,
        dev: d.split.dev.length,
        test: d.split.test.length,
      };
    } catch {
      // A project whose data set cannot be loaded can still be stepped on explicit values.
    }
    return {
      order: rt.model.nodes.map((n) => n.id),
      losses: rt.model.lossNodes.map((n) => n.id),
      parameters: rt.model.namedParameters().map(([name, t]) => ({ name, shape: [...t.shape] })),
      dataset,
    };
  });
  add('loadBatch', (p) => {
    idle();
    let size: number;
    if (Array.isArray(p.indices)) {
      const d = getData();
      checkDataFits(rt.model, d.dataset);
      const split = d.split[p.split as 'train' | 'dev' | 'test'];
      const idx = (p.indices as number[]).map((i) => {
        if (i >= split.length)
          throw new SessionError(
            'invalid-request',
            `The ${String(p.split)} split has ${split.length} examples; example ${i} does not exist.`,
          );
        return split[i];
      });
      size = rt.loadTensors(batchFor(rt.model, d.dataset, idx));
    } else {
      size = rt.loadJson(p.inputs, p.targets);
    }
    return { size, ...rt.state() };
  });
  add('stepForward', () => (idle(), { report: rt.stepForward(), ...rt.state() }));
  add('stepBackward', () => (idle(), { report: rt.stepBackward(), ...rt.state() }));
  add('runForward', () => (idle(), { reports: rt.runForward(), ...rt.state() }));
  add('runBackward', () => (idle(), { reports: rt.runBackward(), ...rt.state() }));
  add('applyUpdate', () => {
    idle();
    const parameters = rt.applyUpdate();
    sink.checkpoint(rt.checkpoint());
    return { ...rt.state(), parameters };
  });
  add('reset', () => (idle(), rt.reset(), rt.state()));
  add('edgeSummary', (p) => ({
    summary: rt.edgeSummary(String(p.edgeId), p.kind === 'gradient' ? 'gradient' : 'activation'),
  }));
  add('parameterSummary', (p) => ({
    summary: rt.parameterSummary(String(p.name), p.kind as 'value' | 'gradient' | 'previous' | 'update'),
  }));
  add('fullTensor', (p) => ({ tensor: rt.fullTensor(p.ref as TensorRef) }));
  add(
    'gradCheck',
    (p) => (
      idle(),
      rt.gradCheck(
        p.ref as { type: 'edge'; edgeId: string } | { type: 'parameter'; name: string },
        typeof p.samples === 'number' ? p.samples : 8,
      )
    ),
  );
  add('trainStart', (p) => {
    if (p.training !== undefined) {
      if (trainer.active)
        throw new SessionError('busy', 'Training is already running; stop it before changing its settings.');
      const parsed = trainingSchema.safeParse(p.training);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new SessionError(
          'invalid-request',
          `The training settings are invalid: ${issue.path.join('.') || '(settings)'}: ${issue.message}.`,
          issue.path.join('.'),
        );
      }
      if (rt.updateTraining(parsed.data)) data = null;
    }
    try {
      trainer.start(typeof p.epochs === 'number' ? { epochs: p.epochs } : {});
    } catch (err) {
      if (err instanceof SessionError) throw err;
      throw new SessionError(trainer.active ? 'busy' : 'invalid-request', (err as Error).message);
    }
    return { state: trainer.state };
  });
  add('trainStatus', () => trainer.status());
  add('weights', () => ({ step: rt.step, weights: dumpWeights(rt.model) }));
  // Both read the weights between batches, so they also work while training (live plots).
  add('decisionBoundary', (p) => {
    let d: ProjectData | null = null;
    try {
      d = getData();
    } catch {
      // Without a data set the grid covers [-1, 1]² unless bounds are given.
    }
    const num = (k: string): number | undefined => (typeof p[k] === 'number' ? (p[k] as number) : undefined);
    const req = {
      resolution: num('resolution') ?? 64,
      ...Object.fromEntries(
        ['xMin', 'xMax', 'yMin', 'yMax'].filter((k) => num(k) !== undefined).map((k) => [k, num(k)]),
      ),
    };
    return decisionGrid(rt.model, d, req);
  });
  add('confusionMatrix', (p) =>
    splitConfusion(rt.model, getData(), p.split === 'dev' || p.split === 'test' ? p.split : 'train'),
  );
  return { ready: Promise.resolve(), commands, trainer };
}
