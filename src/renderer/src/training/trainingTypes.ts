import type { DataDescription } from '../../../engine/graph/dataFit';
import type { EventPayload, Response } from '../../../shared/api/contract';

export type TrainingState = EventPayload<'training.state'>['state'];
export type SeriesPoint = EventPayload<'training.metrics'>['points'][number];
export type FinishedPayload = EventPayload<'training.finished'>;
export type CatalogEntry = Response<'datasets.list'>['datasets'][number];
export type DatasetPreview = Response<'datasets.preview'>;
export type BoundaryGrid = Response<'session.decisionBoundary'>;
export type ConfusionMatrix = Response<'session.confusionMatrix'>;
export type FittedCurveData = Response<'session.fittedCurve'>;

/** The chosen data set as the host described it (its shapes decide whether the graph fits). */
export interface DataInfo {
  /** The dataset reference it describes, as JSON (a changed reference makes it stale). */
  readonly key: string;
  readonly description: DataDescription | null;
  readonly preview: DatasetPreview | null;
  /** Why the data set cannot be loaded (an unknown name, a bad parameter, a missing file). */
  readonly error: string | null;
}

/** The curves of one run: per-epoch loss and accuracy on train and dev, and the test accuracy at the end. */
export interface RunCurves {
  readonly train: readonly SeriesPoint[];
  readonly dev: readonly SeriesPoint[];
  readonly test: { readonly loss: number | null; readonly accuracy: number | null } | null;
}

/** An earlier run kept for comparison, with the settings that tell it apart. */
export interface PastRun extends RunCurves {
  readonly id: number;
  readonly label: string;
}

export interface Progress {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  readonly step: number;
  readonly elapsedMs: number;
  readonly etaMs: number | null;
  /** Examples per second over this run. */
  readonly examplesPerSecond: number | null;
}

export type RecordedStep = Response<'training.history'>['steps'][number];

/**
 * Time travel (training/timeTravel.ts): the steps the session recorded, and the one the canvas
 * and the plots show (null: the present weights).
 */
export interface TravelState {
  readonly open: boolean;
  readonly steps: readonly RecordedStep[];
  readonly capacity: number | null;
  readonly bytes: number;
  readonly budgetBytes: number;
  /** Why nothing is recorded (a step larger than the budget), or how to get a record. */
  readonly note: string | null;
  readonly at: number | null;
  readonly error: string | null;
  /** "Step from here" in flight. */
  readonly busy: boolean;
}

export function initialTravel(): TravelState {
  return {
    open: false,
    steps: [],
    capacity: null,
    bytes: 0,
    budgetBytes: 0,
    note: null,
    at: null,
    error: null,
    busy: false,
  };
}

/** The training slice of the app state: the host's training of the step session, as it reports it. */
export interface TrainingRun {
  readonly data: DataInfo | null;
  readonly state: TrainingState;
  /** The session the curves belong to. */
  readonly sessionId: string | null;
  readonly progress: Progress | null;
  readonly curves: RunCurves;
  /** The settings of the current curves, in words (the legend of a comparison). */
  readonly label: string;
  readonly runs: readonly PastRun[];
  readonly compare: boolean;
  readonly logScale: boolean;
  /**
   * The student's choices between views that share a place: the Dev/Test switch of the confusion
   * matrices and, in a narrow tab, Curves | plots. Here rather than in the components, which the
   * tab's layout mounts in another place when the window changes size class.
   */
  readonly shown: { readonly confusion: 'dev' | 'test'; readonly narrowView: 'curves' | 'plots' };
  readonly boundary: BoundaryGrid | null;
  /** The prediction over the points of a regression on one feature. */
  readonly curve: FittedCurveData | null;
  readonly confusion: { readonly dev: ConfusionMatrix | null; readonly test: ConfusionMatrix | null };
  readonly finished: FinishedPayload | null;
  /** Why the last run stopped on an error, and the node at fault (NaN/Inf). */
  readonly failure: { readonly reason: string; readonly nodeId: string | null } | null;
  readonly travel: TravelState;
}

export function initialTrainingRun(): TrainingRun {
  return {
    data: null,
    state: 'idle',
    sessionId: null,
    progress: null,
    curves: { train: [], dev: [], test: null },
    label: '',
    runs: [],
    compare: false,
    logScale: false,
    shown: { confusion: 'dev', narrowView: 'curves' },
    boundary: null,
    curve: null,
    confusion: { dev: null, test: null },
    finished: null,
    failure: null,
    travel: initialTravel(),
  };
}
