import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TapeExport } from '../../shared/api/tape';
import { collectTape } from '../autograd/tape';
import type { TapeRecord } from '../autograd/tape';
import { tensor } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import type { Project } from '../graph/schema';
import { compileProject } from './compile';
import { StepSession } from './stepSession';
import { exportTape, TAPE_PREVIEW_VALUES } from './tapeExport';
import { summarizeTensor } from './tensorSummary';

const xor = JSON.parse(
  readFileSync(new URL('../../../resources/examples/xor-mlp.json', import.meta.url), 'utf8'),
) as Project;

/** The XOR example (x → fc1 → tanh → fc2 → BCE-with-logits ← y, and a threshold), in float64, on four examples. */
function session(): StepSession {
  const model = compileProject(xor, { dtype: 'float64' });
  const s = new StepSession(model);
  s.loadBatch({
    x: tensor([0, 0, 0, 1, 1, 0, 1, 1], [4, 2], { dtype: 'float64' }),
    y: tensor([0, 1, 1, 0], [4, 1], { dtype: 'float64' }),
  });
  return s;
}

const summary = (t: Tensor) => summarizeTensor(t, TAPE_PREVIEW_VALUES);
const tensorOf = (x: TapeExport, id: number) => x.tensors.find((t) => t.id === id)!;

describe('the tape export (op-level computational graph)', () => {
  it('expands a Linear into the engine’s own records: MatMul (x·Wᵀ, transposeB) then Add (+ b)', () => {
    const s = session();
    s.forwardStep(); // x
    expect(exportTape(s, { nodeId: 'fc1' }).note).toMatch(/has not run/);
    s.forwardStep(); // fc1
    const x = exportTape(s, { nodeId: 'fc1' });
    expect(x.note).toBeNull();
    // What the engine truly records for Linear: exactly these two kernels.
    expect(x.ops.map((o) => o.kernel)).toEqual(['MatMul', 'Add']);
    // They are the records on the tape behind the node's output, in execution order.
    const out = s.nodeOutput('fc1', 'out')!;
    const records = collectTape(out);
    expect(x.ops.map((o) => o.id)).toEqual(records.map((r) => r.id));
    const [mm, add] = records;
    expect(x.ops[0].attrs).toMatchObject({ transposeB: true });
    const w = s.parameter('fc1.weight')!;
    const b = s.parameter('fc1.bias')!;
    expect(mm.inputs).toEqual([s.batchValues!.x, w]);
    expect(add.inputs).toEqual([mm.outputs[0], b]);
    expect(add.outputs[0]).toBe(out);
    // Each op's tensors: their own shapes and the values the tape holds.
    for (const [op, rec] of [
      [x.ops[0], mm],
      [x.ops[1], add],
    ] as const) {
      expect(op.inputs).toEqual(rec.inputs.map((t) => t.id));
      expect(op.outputs).toEqual(rec.outputs.map((t) => t.id));
      for (const t of [...rec.inputs, ...rec.outputs]) expect(tensorOf(x, t.id).value).toEqual(summary(t));
    }
    expect(tensorOf(x, mm.outputs[0].id).value.shape).toEqual([4, 8]);
    expect(tensorOf(x, w.id)).toMatchObject({ kind: 'parameter', label: 'fc1.weight' });
    expect(tensorOf(x, b.id)).toMatchObject({ kind: 'parameter', label: 'fc1.bias' });
    expect(tensorOf(x, s.batchValues!.x.id)).toMatchObject({ kind: 'batch', label: 'x' });
    expect(tensorOf(x, mm.outputs[0].id)).toMatchObject({ kind: 'op', producer: mm.id, nodeOutput: null });
    expect(tensorOf(x, out.id)).toMatchObject({ kind: 'op', nodeOutput: { nodeId: 'fc1', port: 'out' } });
    // The MatMul's value is x·Wᵀ, entry by entry.
    const X = s.batchValues!.x.data;
    const mmOut = mm.outputs[0];
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 8; j++)
        expect(mmOut.data[i * 8 + j]).toBeCloseTo(X[i * 2] * w.data[j * 2] + X[i * 2 + 1] * w.data[j * 2 + 1], 14);
    // Before the backward pass no op has a gradient.
    expect(x.ops.every((o) => o.backward === 'pending')).toBe(true);
    expect(x.tensors.every((t) => t.gradient === null)).toBe(true);
  });

  it('shows the whole network as its tape, each op owned by the node that recorded it', () => {
    const s = session();
    s.runForward();
    const x = exportTape(s);
    expect(x.ops.map((o) => o.id)).toEqual(s.passRecords().map((r) => r.id));
    const byNode = (id: string) => x.ops.filter((o) => o.nodeId === id).map((o) => o.kernel);
    expect(byNode('fc1')).toEqual(['MatMul', 'Add']);
    expect(byNode('act1')).toEqual(['Tanh']);
    expect(byNode('fc2')).toEqual(['MatMul', 'Add']);
    expect(byNode('loss').length).toBeGreaterThan(0);
    for (const id of ['fc1', 'act1', 'fc2', 'loss'])
      expect(exportTape(s, { nodeId: id }).ops.map((o) => o.kernel)).toEqual(byNode(id));
    // fc2's MatMul reads act1's output, written by act1's Tanh: the node's ops link to the rest of the tape.
    const fc2 = exportTape(s, { nodeId: 'fc2' });
    expect(tensorOf(fc2, fc2.ops[0].inputs[0])).toMatchObject({ kind: 'outside', label: 'act1.out' });
    // The Input records nothing (the batch needs no gradient).
    expect(exportTape(s, { nodeId: 'x' }).note).toMatch(/recorded no op/);
    expect(exportTape(s, { maxOps: 2 })).toMatchObject({ omitted: x.ops.length - 2 });
  });

  it('steps backward op by op: each step processes the next record, its gradients equal the tape’s', () => {
    const s = session();
    s.runForward();
    // Reference: the node-level backward pass of a twin session, whose tape gave the same gradients.
    const ref = session();
    ref.runForward();
    const refReports = ref.runBackward();

    const onTape = [...collectTape(lossTensor(s))].reverse();
    expect(onTape.length).toBeGreaterThan(5);
    const reports = [];
    for (let k = 0; k < onTape.length; k++) {
      const step = s.backwardOpStep();
      // Op by op, last recorded first: the records of the loss's tape in reverse.
      expect(step.op).toBe(onTape[k]);
      expect(step.nodeId).toBe(s.ownerOf(onTape[k]));
      if (step.report) reports.push(step.report);
      const x = exportTape(s);
      const cur = x.ops.filter((o) => o.backward === 'current');
      expect(cur.map((o) => o.id)).toEqual([onTape[k].id]);
      expect(x.ops.filter((o) => o.backward === 'done').map((o) => o.id)).toEqual(
        onTape
          .slice(0, k)
          .map((r) => r.id)
          .sort((a, b) => a - b),
      );
      expect(x.nextBackward).toBe(onTape[k + 1]?.id ?? null);
      // Every gradient shown is the one the backward pass holds for that tensor.
      for (const t of x.tensors) {
        const g = s.accumulatedGradient(findTensor(s, t.id)!);
        expect(t.gradient).toEqual(g ? summary(g) : null);
      }
      // The op just processed: its output's gradient is complete and its inputs that need one received theirs.
      for (const o of onTape[k].outputs) expect(tensorOf(x, o.id).gradientFinal).toBe(true);
      for (const i of onTape[k].inputs) if (i.requiresGrad) expect(tensorOf(x, i.id).gradient).not.toBeNull();
    }
    expect(s.backwardOpStep().op).toBeNull();
    expect(s.phase).toBe('backwarded');
    // Node reports arrive exactly as the node-level steps report them, and the gradients are identical.
    expect(reports).toEqual(refReports);
    for (const name of ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias'])
      expect(Array.from(s.parameterGradient(name)!.data)).toEqual(Array.from(ref.parameterGradient(name)!.data));
    // The threshold's record (if any) does not lead to the loss.
    const x = exportTape(s);
    for (const o of x.ops) if (o.nodeId === 'pred') expect(o.backward).toBe('off');
    // The op-level graph and the canvas agree: the gradient of the op writing fc1's output is the
    // gradient the canvas shows on fc1's edge (e2), that of Tanh's output the one on act1's (e3).
    for (const [node, edge] of [
      ['fc1', 'e2'],
      ['act1', 'e3'],
    ]) {
      const out = x.tensors.find((t) => t.nodeOutput?.nodeId === node)!;
      expect(out).toMatchObject({ kind: 'op', gradientFinal: true });
      expect(out.gradient).toEqual(summary(s.gradient(edge)!));
    }
    // fc1's weight gradient on the tape is the final parameter gradient.
    expect(tensorOf(x, s.parameter('fc1.weight')!.id).gradient).toEqual(summary(s.parameterGradient('fc1.weight')!));
  });

  it('mixes op steps and node steps on one pass', () => {
    const s = session();
    s.runForward();
    const first = s.backwardOpStep(); // the loss node's last op
    expect(first.nodeId).toBe('loss');
    const r = s.backwardStep(); // the rest of the loss node, or the next node when that op was its only one
    expect(r).not.toBeNull();
    s.runBackward();
    const ref = session();
    ref.runForward();
    ref.runBackward();
    expect(Array.from(s.parameterGradient('fc1.weight')!.data)).toEqual(
      Array.from(ref.parameterGradient('fc1.weight')!.data),
    );
  });
});

function lossTensor(s: StepSession): Tensor {
  const t = s.nodeOutput('loss', 'loss');
  if (!t) throw new Error('no loss');
  return t;
}

function findTensor(s: StepSession, id: number): Tensor | undefined {
  for (const r of s.passRecords() as TapeRecord[])
    for (const t of [...r.inputs, ...r.outputs]) if (t.id === id) return t;
  return undefined;
}
