import type { PastRun, RunCurves, SeriesPoint } from './trainingTypes';

/** One line of a chart: its legend, values aligned on the shared epoch axis, and how it is drawn. */
export interface ChartLine {
  readonly label: string;
  readonly values: (number | null)[];
  readonly color: string;
  readonly dash?: number[];
  readonly width?: number;
}

export interface ChartSpec {
  readonly epochs: number[];
  readonly lines: ChartLine[];
  /** Indices (into `lines`) of the upper and lower edge of the shaded train–dev gap. */
  readonly gap: [number, number] | null;
  /** The epoch of the lowest dev loss, marked on both charts. */
  readonly bestEpoch: number | null;
}

const PAST_COLORS = ['#8c8c8c', '#b07aa1', '#9c755f', '#76b7b2'];

function aligned(
  points: readonly SeriesPoint[],
  epochs: readonly number[],
  key: 'loss' | 'accuracy',
): (number | null)[] {
  const byEpoch = new Map(points.map((p) => [p.epoch, p[key]]));
  return epochs.map((e) => byEpoch.get(e) ?? null);
}

/** The lowest dev loss's epoch (the one early stopping goes back to). */
export function bestDevEpoch(dev: readonly SeriesPoint[]): number | null {
  let best: SeriesPoint | null = null;
  for (const p of dev) if (p.loss !== null && (best === null || p.loss < best.loss!)) best = p;
  return best?.epoch ?? null;
}

/**
 * The data of the loss or accuracy chart: this run's train and dev curves (and the test accuracy
 * as a level line once training ends), the gap between train and dev shaded, and — when comparing —
 * the earlier runs' dev curves (and train, dashed), labelled by their settings.
 */
export function chartSpec(kind: 'loss' | 'accuracy', cur: RunCurves, past: readonly PastRun[]): ChartSpec {
  const last = (c: RunCurves) => Math.max(0, ...c.train.map((p) => p.epoch), ...c.dev.map((p) => p.epoch));
  const n = Math.max(last(cur), ...past.map(last), 1);
  const first = Math.min(...[cur, ...past].flatMap((c) => c.train.map((p) => p.epoch)), n);
  const epochs = Array.from({ length: n - first + 1 }, (_, i) => first + i);
  const lines: ChartLine[] = [
    { label: `train ${kind}`, values: aligned(cur.train, epochs, kind), color: '#0072b2', width: 2 },
    { label: `dev ${kind}`, values: aligned(cur.dev, epochs, kind), color: '#d55e00', width: 2 },
  ];
  const hasDev = cur.dev.length > 0;
  if (kind === 'accuracy' && cur.test?.accuracy != null)
    lines.push({
      label: 'test accuracy (end)',
      values: epochs.map(() => cur.test!.accuracy),
      color: '#009e73',
      dash: [4, 4],
    });
  past.forEach((r, i) => {
    const color = PAST_COLORS[i % PAST_COLORS.length];
    lines.push({
      label: `run ${r.id} dev: ${r.label}`,
      values: aligned(r.dev.length ? r.dev : r.train, epochs, kind),
      color,
      width: 1.5,
    });
    lines.push({ label: `run ${r.id} train`, values: aligned(r.train, epochs, kind), color, dash: [5, 3], width: 1 });
  });
  // The gap: dev above train for the loss, below it for the accuracy.
  const gap: [number, number] | null = hasDev ? (kind === 'loss' ? [1, 0] : [0, 1]) : null;
  return { epochs, lines, gap, bestEpoch: hasDev ? bestDevEpoch(cur.dev) : null };
}
