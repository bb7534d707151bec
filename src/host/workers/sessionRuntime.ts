// The engine side of a step session, inside its worker: the project, its step session and
// its training loop, answering the session channels of the API contract under their own names.
import { trainingSchema, type Project } from '../../engine/graph/schema';
import { dumpWeights } from '../../engine/runtime/compile';
import type { SessionInfo } from '../../shared/api/session';
import type { ProjectData } from './projectData';
import { batchFor, checkDataFits, loadProjectData } from './projectData';
import { NO_TRANSFORM, transformBatch } from '../../engine/runtime/inputTransform';
import type { InputTransform } from '../../engine/runtime/inputTransform';
import type { Checkpoint, SessionInit, WorkerHandlers } from './sessionProtocol';
import { StepRuntime } from './stepRuntime';
import { Trainer } from './trainer';
import { verifyCode } from './verifyCode';
import { decisionGrid, fittedCurve, splitConfusion } from './predictions';
import { translate } from './translate';
import { exportTape } from '../../engine/runtime/tapeExport';
import { SessionError } from './workerErrors';
import { loadGenerators, stepGenerators } from './trainingRecorder';
import type { StepRecord } from './stepReplay';
import { passSummaries, recordedStep, rerunStep, withStepWeights } from './stepReplay';
import type { StepSession } from '../../engine/runtime/stepSession';
import { unrolledView } from '../../engine/runtime/unrolled';
import type { Dataset } from '../../engine/train/dataset';
import type { UnrolledView } from '../../shared/api/unrolled';

export interface RuntimeSink {
  /** Events in order, posted to the host as one message. */
  emit(events: readonly { event: string; payload: unknown }[]): void;
  checkpoint(checkpoint: Checkpoint): void;
}

export interface SessionRuntime {
  /** What session.create answers about the compiled graph. */
  info: SessionInfo;
  handlers: WorkerHandlers;
  trainer: Trainer;
  /** Frees the runtime's tensors (before the worker compiles another project in its place). */
  dispose(): void;
}

export function createSessionRuntime(init: SessionInit & { project: Project }, sink: RuntimeSink): SessionRuntime {
  const rt = new StepRuntime(init.project, init.checkpoint, init.dtype);
  let data: ProjectData | null = null;
  const getData = (): ProjectData => (data ??= loadProjectData(rt.project));
  const trainer = new Trainer(init.sessionId, rt, getData, init.control, {
    emit: sink.emit,
    checkpoint: () => sink.checkpoint(rt.checkpoint()),
  });
  // Stepping is refused while a run trains (it owns the model between batches); while it is
  // paused the step tools look at the paused weights, but an update is the run's to make.
  const idle = (opts: { update?: boolean } = {}): void => {
    if (trainer.state === 'running')
      throw new SessionError('busy', 'The model is training; pause or stop training before stepping.');
    if (opts.update && trainer.state === 'paused')
      throw new SessionError(
        'busy',
        'Training is paused: resume it, or stop it before applying an update by hand (the run owns the optimizer).',
      );
  };

  let dataset: SessionInfo['dataset'] = null;
  try {
    const d = getData();
    dataset = { name: d.dataset.name, train: d.split.train.length, dev: d.split.dev.length, test: d.split.test.length };
  } catch {
    // A project whose data set cannot be loaded can still be stepped on explicit values.
  }
  const info: SessionInfo = {
    order: rt.model.nodes.map((n) => n.id),
    losses: rt.model.lossNodes.map((n) => n.id),
    parameters: rt.model.namedParameters().map(([name, t]) => ({ name, shape: [...t.shape] })),
    dataset,
    dtype: rt.model.dtype,
  };

  /** Loads examples of the project's data set by split and index; answers the batch size. */
  const loadExamples = (
    splitName: 'train' | 'dev' | 'test',
    indices: readonly number[],
    transform: InputTransform = NO_TRANSFORM,
  ): number => {
    const d = getData();
    checkDataFits(rt.model, d.dataset);
    const split = d.split[splitName];
    const idx = indices.map((i) => {
      if (i >= split.length)
        throw new SessionError(
          'invalid-request',
          `The ${splitName} split has ${split.length} examples; example ${i} does not exist.`,
        );
      return split[i];
    });
    const batch = batchFor(rt.model, d.dataset, idx);
    const changed = transformBatch(rt.model, batch, transform);
    if (typeof changed === 'string') {
      for (const t of Object.values(batch)) t.dispose();
      throw new SessionError('invalid-request', `Cannot turn or shift the input: ${changed}.`);
    }
    // The turned images replace the loaded ones (each a new tensor); the originals go.
    for (const [k, t] of Object.entries(batch)) if (changed[k] !== t) t.dispose();
    return rt.loadTensors(changed);
  };

  const recorded = (step: number): StepRecord => {
    const path = trainer.recorder.path(step);
    if (path !== undefined) {
      try {
        return recordedStep(rt.model, path);
      } catch (err) {
        throw new SessionError('conflict', (err as Error).message);
      }
    }
    const steps = trainer.recorder.all();
    throw new SessionError(
      'not-found',
      steps.length === 0
        ? 'No training step is recorded in this session; train first.'
        : `Step ${step} is not recorded; steps ${steps[0].step}–${steps[steps.length - 1].step} are.`,
    );
  };
  /** The data set a recorded step's batch indexes: its run's (the session's when the record names none). */
  const datasetOf = (rec: StepRecord): Dataset => {
    const ds = rec.dataset ?? getData().dataset;
    checkDataFits(rt.model, ds);
    return ds;
  };
  /**
   * The unrolled view of a recurrent node in a recorded step's pass run again (stepReplay.ts):
   * session.unrolled's answer after that step's forward and backward pass. The node, layer and
   * direction are refused as session.unrolled refuses them.
   */
  const unrolledOf = (pass: StepSession, q: { nodeId: string; layer?: number; direction?: number }): UnrolledView => {
    try {
      return unrolledView(pass, q.nodeId, q.layer, q.direction);
    } catch (err) {
      throw new SessionError('invalid-request', (err as Error).message);
    }
  };
  /** What session.tape and a replayed step's tape ask exportTape for. */
  const tapeOptions = (q: { nodeId?: string | undefined; maxOps?: number | undefined }) => ({
    ...(q.nodeId !== undefined ? { nodeId: q.nodeId } : {}),
    ...(q.maxOps !== undefined ? { maxOps: q.maxOps } : {}),
  });
  const dataOrNull = (): ProjectData | null => {
    try {
      return getData();
    } catch {
      return null;
    }
  };

  const handlers: WorkerHandlers = {
    'session.loadBatch': async (req) => {
      idle();
      const size =
        'indices' in req ? loadExamples(req.split, req.indices, req.transform) : rt.loadJson(req.inputs, req.targets);
      return { size, ...rt.state() };
    },
    // Live preview: batch, forward and (when asked) backward in one round trip.
    'session.preview': async (req) => {
      if (trainer.active)
        throw new SessionError('busy', 'The model is training; the live preview waits for the run to end.');
      const size = loadExamples(req.split, req.indices, req.transform);
      return { size, ...rt.preview(req.gradients), ...rt.state() };
    },
    // Every step answers with the summaries of what it touched: one round trip per step.
    'session.stepForward': async () => {
      idle();
      const report = rt.stepForward();
      return { report, tensors: rt.touched(report ? [report] : []), ...rt.state() };
    },
    // Backward before the forward pass is complete: the forward it needs rides in the same answer.
    'session.stepBackward': async () => {
      idle();
      const forward = rt.completeForward();
      const report = rt.stepBackward();
      return { report, tensors: rt.touched(report ? [report] : []), ...(forward && { forward }), ...rt.state() };
    },
    'session.stepBackwardOp': async () => {
      idle();
      const forward = rt.completeForward();
      const { report, op, nodeId } = rt.stepBackwardOp();
      return {
        report,
        tensors: rt.touched(report ? [report] : []),
        tapeStep: { op, nodeId },
        ...(forward && { forward }),
        ...rt.state(),
      };
    },
    'session.stepBackwardTime': async (req) => {
      idle();
      rt.needNode(req.nodeId);
      const forward = rt.completeForward();
      const { report, timeStep } = rt.stepBackwardTime(req.nodeId);
      return {
        report,
        tensors: rt.touched(report ? [report] : []),
        timeStep,
        ...(forward && { forward }),
        ...rt.state(),
      };
    },
    // The op-level graph: the records of the pass, read while the model is not training.
    'session.tape': async (req) => (idle(), exportTape(rt.session, tapeOptions(req))),
    'session.runForward': async () => {
      idle();
      const reports = rt.runForward();
      return { reports, tensors: rt.touched(reports), ...rt.state() };
    },
    'session.runBackward': async () => {
      idle();
      const forward = rt.completeForward();
      const reports = rt.runBackward();
      return { reports, tensors: rt.touched(reports), ...(forward && { forward }), ...rt.state() };
    },
    'session.applyUpdate': async () => {
      idle({ update: true });
      const parameters = rt.applyUpdate();
      sink.checkpoint(rt.checkpoint());
      const values = Object.fromEntries(parameters.map((n) => [n, rt.parameterSummary(n, 'value')]));
      return { ...rt.state(), parameters, tensors: { edges: {}, parameters: values } };
    },
    'session.reset': async () => (idle(), rt.reset(), rt.state()),
    'session.setMode': async (req) => (idle(), rt.setMode(req.mode), { ...rt.state(), mode: rt.mode }),
    'session.edgeSummary': async (req) => ({ summary: rt.edgeSummary(req.edgeId, req.kind) }),
    'session.parameterSummary': async (req) => ({ summary: rt.parameterSummary(req.name, req.kind) }),
    'session.fullTensor': async (req) => ({ tensor: rt.fullTensor(req.ref) }),
    'session.gradCheck': async (req) => (idle(), rt.gradCheck(req.ref, req.samples ?? 8)),
    'training.start': async (req) => {
      if (req.training !== undefined) {
        if (trainer.active)
          throw new SessionError('busy', 'Training is already running; stop it before changing its settings.');
        const parsed = trainingSchema.safeParse(req.training);
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
        trainer.start(req.epochs !== undefined ? { epochs: req.epochs } : {});
      } catch (err) {
        if (err instanceof SessionError) throw err;
        throw new SessionError(trainer.active ? 'busy' : 'invalid-request', (err as Error).message);
      }
      return { state: trainer.state };
    },
    'training.status': async () => trainer.status(),
    'training.history': async () => {
      const r = trainer.recorder;
      const steps = r.all().map((x) => ({
        step: x.step,
        epoch: x.epoch,
        batch: x.batch,
        loss: Number.isFinite(x.loss) ? x.loss : null,
        accuracy: x.accuracy,
      }));
      return { steps, capacity: r.capacity, bytes: r.bytes, budgetBytes: r.budgetBytes, note: r.note };
    },
    // Replay runs between batches (the handler runs whole, synchronously): the step's pass again,
    // at its weights on its batch with its masks, and the plots of its weights.
    'training.replay': async (req) => {
      const rec = recorded(req.step);
      if (req.unrolled !== undefined && !rt.model.node(req.unrolled.nodeId))
        throw new SessionError('not-found', `The graph has no node "${req.unrolled.nodeId}".`);
      const d = dataOrNull();
      const boundary =
        req.boundary !== undefined
          ? withStepWeights(rt.model, rec, () => decisionGrid(rt.model, d, req.boundary!))
          : null;
      const curve =
        req.curve !== undefined
          ? withStepWeights(rt.model, rec, () => fittedCurve(rt.model, getData(), req.curve!.resolution))
          : null;
      const { summaries, unrolled, tape } = rerunStep(rt.model, rec, datasetOf(rec), (pass) => ({
        summaries: passSummaries(rt.model, pass, rec),
        unrolled: req.unrolled !== undefined ? unrolledOf(pass, req.unrolled) : null,
        tape: req.tape !== undefined ? exportTape(pass, tapeOptions(req.tape)) : null,
      }));
      return {
        step: rec.step,
        epoch: rec.epoch,
        batch: rec.batch,
        loss: Number.isFinite(rec.loss) ? rec.loss : null,
        accuracy: rec.accuracy,
        ...summaries,
        boundary,
        curve,
        unrolled,
        tape,
      };
    },
    'training.stepFrom': async (req) => {
      if (trainer.active)
        throw new SessionError('busy', 'Training is running or paused; stop it before stepping from a recorded step.');
      const rec = recorded(req.step);
      const d = getData();
      if (rec.dataset !== null && rec.dataset !== d.dataset)
        throw new SessionError('conflict', 'The data set changed since this step was recorded; its batch is gone.');
      const position = new Map<number, number>();
      d.split.train.forEach((k, i) => position.set(k, i));
      const indices = Array.from(rec.indices, (k) => {
        const p = position.get(k);
        if (p === undefined)
          throw new SessionError('conflict', 'The data set changed since this step was recorded; its batch is gone.');
        return p;
      });
      // The optimizer's state as the run had it before the step, when the run's optimizer is the
      // session's (the settings have not changed since): training on from here is that run's.
      const state = rec.optimizer !== null && rec.optimizer.of === rt.optimizer ? rec.optimizer.state : undefined;
      rt.restoreWeights(rec.weights, rec.step - 1, rec.epoch - 1, state);
      // Its generators where they stood: the next forward pass draws the masks the step drew.
      loadGenerators(stepGenerators(rt.model), rec.generators);
      trainer.recorder.truncateAfter(rec.step - 1);
      const size = loadExamples('train', indices);
      sink.checkpoint(rt.checkpoint());
      return { size, split: 'train' as const, indices, ...rt.state() };
    },
    'session.weights': async () => ({ step: rt.step, weights: dumpWeights(rt.model) }),
    'session.verifyCode': async (req) => (idle(), verifyCode(rt, req.lang)),
    // These read the weights between batches, so they also work while training (live plots).
    'session.decisionBoundary': async ({ sessionId: _, resolution, ...bounds }) => {
      let d: ProjectData | null = null;
      try {
        d = getData();
      } catch {
        // Without a data set the grid covers [-1, 1]² unless bounds are given.
      }
      return decisionGrid(rt.model, d, { resolution: resolution ?? 64, ...bounds });
    },
    'session.lossView': async (req) => rt.lossView(req.nodeId),
    'session.unrolled': async (req) => rt.unrolled(req.nodeId, req.layer, req.direction),
    'session.confusionMatrix': async (req) => splitConfusion(rt.model, getData(), req.split),
    'session.fittedCurve': async (req) => fittedCurve(rt.model, getData(), req.resolution ?? 200),
    // Between batches too: a student may translate while the model trains.
    'session.translate': async (req) => translate(rt.model, rt.project, req.source),
  };
  return { info, handlers, trainer, dispose: () => rt.dispose() };
}
