import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tensor } from '../tensor/create';
import { e, n } from '../graph/testGraphs.test-support';
import { compileGraph } from './compile';
import type { CompiledNode } from './compile';
import { lossView, MAX_LOSS_POINTS } from './lossView';
import { StepSession } from './stepSession';

// PyTorch's numbers, written by scripts/parity/loss_view.py (never typed by hand).
interface Ref {
  curves: Record<string, [number[], number[]]>;
  residual: Record<string, [number[], number[]]>;
  classes: Record<string, [number[], number[]]>;
  batches: { type: string; kind: string; scores: number[]; targets: number[]; loss: number[]; slope: number[] }[];
}
const here = path.dirname(fileURLToPath(import.meta.url));
const ref = JSON.parse(readFileSync(path.join(here, '__parity__', 'lossView.json'), 'utf8')) as Ref;

/** Input → loss ← Target, compiled in float64: the loss node the view is drawn for. */
function lossNode(type: string, kind: string, classes = 1): CompiledNode {
  const r = compileGraph(
    {
      nodes: [
        n('x', 'Input', { shape: [classes] }),
        n('y', 'Target', { kind, shape: kind === 'class-labels' ? [] : [1] }),
        n('loss', type),
      ],
      edges: [e('x', 'loss'), e('y', 'loss', 'target')],
    },
    { dtype: 'float64' },
  );
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.model.node('loss')!;
}

function close(actual: readonly number[], expected: readonly number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const worst = Math.max(0, ...actual.map((v, i) => Math.abs(v - expected[i]) / (1 + Math.abs(expected[i]))));
  expect(worst, what).toBeLessThan(1e-8);
}

const curve = (v: ReturnType<typeof lossView>, id: string) => {
  const c = v.curves.find((k) => k.id === id);
  if (!c) throw new Error(`no curve ${id} in ${v.curves.map((k) => k.id).join(', ')}`);
  return c;
};

describe('the loss view draws the engine’s losses as PyTorch computes them', () => {
  it('binary losses over the margin: the chosen one and the course’s others', () => {
    const hinge = lossView(lossNode('HingeLoss', 'pm1-labels'), null);
    expect(hinge.axis).toBe('margin');
    expect(hinge.points).toBeNull();
    expect(hinge.xs[0]).toBe(-3);
    expect(hinge.xs.at(-1)).toBe(3);
    close(curve(hinge, 'chosen').loss, ref.curves.HingeLoss[0], 'hinge loss');
    close(curve(hinge, 'chosen').slope, ref.curves.HingeLoss[1], 'hinge slope');
    close(curve(hinge, 'logistic').loss, ref.curves.LogisticLoss[0], 'logistic loss');
    close(curve(hinge, 'logistic').slope, ref.curves.LogisticLoss[1], 'logistic slope');
    close(curve(hinge, 'perceptron').loss, ref.curves.PerceptronLoss[0], 'perceptron loss');
    close(curve(hinge, 'perceptron').slope, ref.curves.PerceptronLoss[1], 'perceptron slope');
    close(curve(hinge, 'squared').loss, ref.curves.MSELoss[0], 'squared loss');
    close(curve(hinge, 'squared').slope, ref.curves.MSELoss[1], 'squared slope');
    expect(curve(hinge, 'zero-one').loss).toEqual(hinge.xs.map((m) => (m <= 0 ? 1 : 0)));
    // The chosen loss is not drawn twice.
    expect(hinge.curves.filter((c) => c.id === 'hinge')).toEqual([]);

    // 0/1-label versions: BCE is the logistic loss of m = (2y − 1)·w, hinge01 the hinge.
    const bce = lossView(lossNode('BCEWithLogitsLoss', 'binary-labels'), null);
    close(curve(bce, 'chosen').loss, ref.curves.BCEWithLogitsLoss[0], 'BCE loss');
    close(curve(bce, 'chosen').slope, ref.curves.BCEWithLogitsLoss[1], 'BCE slope');
    close(curve(bce, 'chosen').loss, ref.curves.LogisticLoss[0], 'BCE = logistic over the margin');
    const h01 = lossView(lossNode('HingeLoss01', 'binary-labels'), null);
    close(curve(h01, 'chosen').loss, ref.curves.HingeLoss01[0], 'hinge01 loss');

    // Squared error on 0/1 labels is not a function of the margin alone: one curve per label.
    const mse01 = lossView(lossNode('MSELoss', 'binary-labels'), null);
    expect(mse01.curves.filter((c) => c.chosen).map((c) => c.id)).toEqual(['chosen-y1', 'chosen-y0']);
    close(
      curve(mse01, 'chosen-y0').loss,
      mse01.xs.map((m) => m * m),
      'squared error of label 0 at w = −m',
    );
  });

  it('regression losses over the residual', () => {
    const mse = lossView(lossNode('MSELoss', 'real-targets'), null);
    expect(mse.axis).toBe('residual');
    close(curve(mse, 'chosen').loss, ref.residual.MSELoss[0], 'squared');
    close(curve(mse, 'chosen').slope, ref.residual.MSELoss[1], 'squared slope');
    close(curve(mse, 'absolute').loss, ref.residual.L1Loss[0], 'absolute');
    close(curve(mse, 'absolute').slope, ref.residual.L1Loss[1], 'absolute slope');
  });

  it('class losses over the class margin: one rival and tied rivals', () => {
    const ce = lossView(lossNode('CrossEntropyLoss', 'class-labels', 3), null);
    expect(ce.axis).toBe('class-margin');
    close(curve(ce, 'chosen').loss, ref.classes['CrossEntropyLoss/two'][0], 'CE, one rival');
    close(curve(ce, 'chosen').slope, ref.classes['CrossEntropyLoss/two'][1], 'CE slope, one rival');
    close(curve(ce, 'chosen-tied').loss, ref.classes['CrossEntropyLoss/tied3'][0], 'CE, two tied rivals');
    close(curve(ce, 'chosen-tied').slope, ref.classes['CrossEntropyLoss/tied3'][1], 'CE slope, tied');
    close(curve(ce, 'hinge').loss, ref.classes['MulticlassHingeLoss/two'][0], 'hinge');
    const mh = lossView(lossNode('MulticlassHingeLoss', 'class-labels', 3), null);
    close(curve(mh, 'chosen').loss, ref.classes['MulticlassHingeLoss/two'][0], 'multiclass hinge');
    close(curve(mh, 'chosen').slope, ref.classes['MulticlassHingeLoss/two'][1], 'multiclass hinge slope');
  });

  it('places each example of a batch at its margin with PyTorch’s loss and slope', () => {
    for (const b of ref.batches) {
      const classes = b.kind === 'class-labels' ? 3 : 1;
      const rows = b.targets.length;
      const node = lossNode(b.type, b.kind, classes);
      const scores = tensor(b.scores, [rows, classes], { dtype: 'float64' });
      const targets = tensor(b.targets, b.kind === 'class-labels' ? [rows] : [rows, 1], { dtype: 'float64' });
      const v = lossView(node, { scores, targets });
      const pts = v.points!;
      const what = `${b.type} (${b.kind})`;
      close(
        pts.map((p) => p.loss),
        b.loss,
        `${what} losses`,
      );
      // The slope along the axis: s·∂ℓ/∂w for margins (s = y or 2y − 1), ∂ℓ/∂w for residuals and classes.
      const s = (y: number) => (b.kind === 'pm1-labels' ? y : b.kind === 'binary-labels' ? 2 * y - 1 : 1);
      close(
        pts.map((p) => p.slope),
        b.slope.map((g, i) => s(b.targets[i]) * g),
        `${what} slopes`,
      );
      const xs =
        b.kind === 'class-labels'
          ? b.targets.map((y, i) => {
              const row = b.scores.slice(i * 3, i * 3 + 3);
              return row[y] - Math.max(...row.filter((_, k) => k !== y));
            })
          : b.kind === 'real-targets'
            ? b.scores.map((w, i) => w - b.targets[i])
            : b.scores.map((w, i) => s(b.targets[i]) * w);
      close(
        pts.map((p) => p.x),
        xs,
        `${what} positions`,
      );
      // The axis covers every example.
      expect(Math.min(...v.xs)).toBeLessThanOrEqual(Math.min(...xs));
      expect(Math.max(...v.xs)).toBeGreaterThanOrEqual(Math.max(...xs));
    }
  });

  it('reads the step session’s batch at the loss node, and draws at most MAX_LOSS_POINTS examples', () => {
    const r = compileGraph(
      {
        nodes: [
          n('x', 'Input', { shape: [2] }),
          n('fc', 'Linear', { out_features: 1 }),
          n('y', 'Target', { kind: 'pm1-labels', shape: [1] }),
          n('loss', 'HingeLoss'),
        ],
        edges: [e('x', 'fc'), e('fc', 'loss'), e('y', 'loss', 'target')],
      },
      { dtype: 'float64', seed: 4 },
    );
    if (!r.ok) throw new Error('compile');
    const rows = MAX_LOSS_POINTS + 8;
    const s = new StepSession(r.model);
    s.loadBatch({
      x: tensor(
        Array.from({ length: rows * 2 }, (_, i) => Math.sin(i)),
        [rows, 2],
        { dtype: 'float64' },
      ),
      y: tensor(
        Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 1 : -1)),
        [rows, 1],
        { dtype: 'float64' },
      ),
    });
    s.runForward();
    const node = r.model.node('loss')!;
    const scores = s.nodeOutput('fc', 'out')!;
    const targets = s.nodeOutput('y', 'out')!;
    const v = lossView(node, { scores, targets });
    expect(v.rows).toBe(rows);
    expect(v.points).toHaveLength(MAX_LOSS_POINTS);
    // The dots are the first rows of the batch, each with its hinge max(0, 1 − y·w).
    v.points!.forEach((p, i) => {
      expect(p.row).toBe(i);
      expect(p.loss).toBeCloseTo(Math.max(0, 1 - targets.data[i] * scores.data[i]), 12);
    });
  });
});
