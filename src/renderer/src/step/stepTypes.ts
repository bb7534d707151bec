import type { SessionInfo as ApiSessionInfo, SessionPhase, StepReportPayload } from '../../../shared/api/session';
import type { TensorSummary } from '../../../shared/api/tensor';
import type { GraphDoc } from '../state/docModel';

export type { GradCheckResult } from '../../../shared/api/session';
export type Split = 'train' | 'dev' | 'test';

/** What the host computed for one edge in the current pass. */
export interface EdgeTensors {
  readonly activation?: TensorSummary;
  readonly gradient?: TensorSummary;
  /** The dropout mask drawn in this pass, on an edge leaving a Dropout node (training mode only). */
  readonly mask?: TensorSummary;
}

/** What the host computed for one parameter (`fc1.weight`). */
export interface ParamTensors {
  readonly value?: TensorSummary;
  readonly gradient?: TensorSummary;
}

export type InspectTarget =
  { readonly type: 'edge'; readonly edgeId: string } | { readonly type: 'parameter'; readonly name: string };

/**
 * Which examples form the batch: one example (the clearest view), the first `size` examples
 * from `start`, or a list the user typed ("0-3, 7").
 */
export interface BatchChoice {
  readonly split: Split;
  readonly mode: 'single' | 'range' | 'list';
  readonly index: number;
  readonly size: number;
  readonly list: string;
  /** The equivariance lab: how the batch's images are turned and shifted before the pass. */
  readonly transform: InputTransform;
}

/**
 * Images turned `rotate` quarter turns (counter-clockwise as drawn, torch.rot90), then shifted
 * circularly `shiftY` rows down and `shiftX` columns right (torch.roll): session.loadBatch's `transform`.
 */
export interface InputTransform {
  readonly rotate: number;
  readonly shiftY: number;
  readonly shiftX: number;
}

export const NO_INPUT_TRANSFORM: InputTransform = { rotate: 0, shiftY: 0, shiftX: 0 };

/** The host's step session as the renderer keeps it: what session.create said, with its id and document. */
export interface SessionInfo extends Readonly<ApiSessionInfo> {
  readonly id: string;
  /** The document the session was compiled from: steps keep going while only positions change. */
  readonly doc: GraphDoc;
}

/**
 * The live preview's state (step/livePreview.ts). `waiting`: an edit awaits its preview; `blocked`:
 * the graph cannot run now and `reason` says why. In both, the glyphs on the canvas are from
 * before the edit and are drawn greyed.
 */
export interface PreviewStatus {
  readonly state: 'idle' | 'waiting' | 'blocked';
  readonly reason: string | null;
}

/** The run slice of the app state: the step session and everything it reported, keyed by edge id. */
export interface StepRun {
  readonly edges: Readonly<Record<string, EdgeTensors>>;
  /** The node the last step evaluated, highlighted on the canvas. */
  readonly steppingNode: string | null;
  readonly session: SessionInfo | null;
  /** The command in flight ("Forward step"), null when idle: the toolbar is disabled meanwhile. */
  readonly busy: string | null;
  /** The last failure, in words (cleared by the next successful command). */
  readonly error: string | null;
  readonly phase: SessionPhase;
  readonly lastReport: StepReportPayload | null;
  readonly loss: number | null;
  /** Optimizer updates applied in this session. */
  readonly updates: number;
  /** The examples of the loaded batch, and how many there are. */
  readonly loaded: {
    readonly split: Split;
    readonly indices: readonly number[];
    readonly transform?: InputTransform;
  } | null;
  readonly view: 'activations' | 'gradients';
  /** The precision the next session computes in: float64 agrees with hand calculations to the last digit. */
  readonly dtype: 'float32' | 'float64';
  /** Training mode (dropout draws masks, batch norm uses the batch) or evaluation mode. */
  readonly mode: 'train' | 'eval';
  readonly batch: BatchChoice;
  readonly params: Readonly<Record<string, ParamTensors>>;
  readonly inspect: InspectTarget | null;
  /** The pass on the canvas was made by the live preview (the next forward step starts a new one). */
  readonly previewPass: boolean;
  readonly preview: PreviewStatus;
}

export function initialStepRun(): StepRun {
  return {
    edges: {},
    steppingNode: null,
    session: null,
    busy: null,
    error: null,
    phase: 'empty',
    lastReport: null,
    loss: null,
    updates: 0,
    loaded: null,
    view: 'activations',
    dtype: 'float32',
    mode: 'train',
    batch: { split: 'train', mode: 'single', index: 0, size: 4, list: '0-3', transform: NO_INPUT_TRANSFORM },
    params: {},
    inspect: null,
    previewPass: false,
    preview: { state: 'idle', reason: null },
  };
}
