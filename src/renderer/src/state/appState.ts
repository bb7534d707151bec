import type { ConnectionStatus } from '../api/transport';
import type { StepRun } from '../step/stepTypes';
import type { TrainingRun } from '../training/trainingTypes';
import type { GraphDoc } from './docModel';
import type { History } from './history';

export type Theme = 'light' | 'dark';
export type BottomTab = 'training' | 'losses' | 'code' | 'step';

export interface Selection {
  readonly nodes: readonly string[];
  readonly edges: readonly string[];
}

export interface Toast {
  readonly id: number;
  readonly kind: 'info' | 'error' | 'success';
  readonly message: string;
}

/** A modal the app is showing; confirmations resolve the promise the action awaits. */
export type Dialog =
  | { readonly kind: 'shortcuts' }
  | { readonly kind: 'about' }
  /** The example gallery: File → Open Example, or the welcome screen at start-up. */
  | { readonly kind: 'examples'; readonly welcome?: boolean }
  | {
      readonly kind: 'confirm';
      readonly title: string;
      readonly message: string;
      readonly confirmLabel: string;
      readonly cancelLabel: string;
      readonly resolve: (ok: boolean) => void;
    }
  | {
      readonly kind: 'prompt';
      readonly title: string;
      readonly message: string;
      readonly value: string;
      readonly confirmLabel: string;
      readonly resolve: (value: string | null) => void;
    };

/** Where the open document lives and whether it has unsaved changes. */
export interface FileState {
  /** A handle the document service understands (a path on the host, or null when never saved). */
  readonly handle: string | null;
  readonly name: string;
  /** The document as last saved or opened: the document is dirty when it is not this very object. */
  readonly saved: GraphDoc;
}

export interface RecentFile {
  readonly handle: string;
  readonly name: string;
}

/** Step-session results (src/renderer/src/step): tensors keyed by edge id, the node being evaluated. */
export type RunState = StepRun;

export interface UiState {
  readonly theme: Theme;
  /** Presenter mode (View → Presenter): large type, thick wires and glyphs for a projector; remembered. */
  readonly presenter: boolean;
  /** View → Live preview: a forward pass (and optionally a backward one) after every edit; remembered. */
  readonly livePreview: LivePreviewSetting;
  readonly panelsVisible: boolean;
  readonly bottomTab: BottomTab;
  readonly zoom: number;
  readonly paletteQuery: string;
  readonly dialog: Dialog | null;
  readonly toasts: readonly Toast[];
  /** Bumped when a document is loaded or laid out, so the canvas fits it into view (readable zoom). */
  readonly fitRequest: number;
  /** The course example the open document came from, explained in a side panel (gallery/). */
  readonly example: OpenedExample | null;
  /** The loss node the Losses tab plots (null: the graph's first loss node). */
  readonly lossNode: string | null;
  /** The recurrent node shown unrolled through time over the canvas (null: the view is closed). */
  readonly unrolledNode: string | null;
}

export interface LivePreviewSetting {
  readonly on: boolean;
  /** Also one backward pass, so the gradient view has its glyphs too. */
  readonly gradients: boolean;
}

export interface OpenedExample {
  readonly id: string;
  readonly title: string;
  readonly topic: string;
  readonly result: string;
  readonly explanation: string;
}

export interface HostState {
  readonly status: ConnectionStatus;
  readonly version: string | null;
  readonly mode: 'electron' | 'browser' | 'headless' | null;
}

/** The whole renderer state: one store, the graph document as the source of truth. */
export interface AppState {
  readonly doc: GraphDoc;
  readonly history: History<GraphDoc>;
  readonly file: FileState;
  readonly recent: readonly RecentFile[];
  readonly selection: Selection;
  /** Node sizes measured by React Flow: view state, never saved or undone. */
  readonly measured: Readonly<Record<string, { width: number; height: number }>>;
  readonly ui: UiState;
  readonly host: HostState;
  readonly run: RunState;
  /** Training of the step session (src/renderer/src/training): data set, progress, curves, plots. */
  readonly training: TrainingRun;
}
