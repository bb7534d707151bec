import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { grad } from '../autograd/backward';
import { GROUP_PY, LIFT_PY } from '../graph/registry/p4';
import { gradCheck } from '../ops/gradcheck';
import { mean } from '../ops/reduce';
import { tensor } from '../tensor/create';
import type { DType } from '../tensor/dtype';
import { Rng } from '../tensor/rng';
import type { Tensor } from '../tensor/tensor';
import { PYTHON, torchSkipReason } from '../torchReference.test-support';
import { Conv2d } from './conv';
import { P4GroupConv2d, P4LiftingConv2d, P4OrientationPool, p4FilterIndex, rot90Source } from './p4';

/**
 * The p4 group convolutions (Cohen & Welling 2016): gradients against central differences,
 * the equivariance the course's convolution lecture states (to 1e-6), the contrast with an
 * ordinary convolution, and PyTorch's values and gradients in float32 and float64.
 */

const rng = new Rng(11);
const rand = (shape: number[], dtype: DType = 'float64', requiresGrad = false): Tensor =>
  tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1)),
    shape,
    { dtype, requiresGrad },
  );

/** torch.rot90(x, 1, dims=(-2, -1)) on plain data: out[i][j] = x[j][W−1−i] (square maps). */
function rot90(x: Tensor): Tensor {
  const s = x.shape;
  const [H, W] = s.slice(-2);
  const src = rot90Source(H, 1);
  expect(H).toBe(W);
  const d = x.data;
  const out = new Float64Array(x.size);
  for (let b = 0; b < x.size / (H * W); b++) for (let p = 0; p < H * W; p++) out[b * H * W + p] = d[b * H * W + src[p]];
  return tensor(out, s, { dtype: x.dtype });
}

/** torch.roll(x, 1, dims=2): out[:, :, r] = x[:, :, (r − 1) mod 4] of an N×C×4×H×W map. */
function rollOrientation(x: Tensor): Tensor {
  const [N, C, G, H, W] = x.shape;
  const hw = H * W;
  const d = x.data;
  const out = new Float64Array(x.size);
  for (let nc = 0; nc < N * C; nc++)
    for (let r = 0; r < G; r++)
      for (let p = 0; p < hw; p++) out[(nc * G + r) * hw + p] = d[(nc * G + ((r - 1 + G) % G)) * hw + p];
  return tensor(out, x.shape, { dtype: x.dtype });
}

/** np.roll of the last two axes by (di, dj). */
function shift(x: Tensor, di: number, dj: number): Tensor {
  const [H, W] = x.shape.slice(-2);
  const d = x.data;
  const out = new Float64Array(x.size);
  for (let b = 0; b < x.size / (H * W); b++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++)
        out[b * H * W + ((i + di + H) % H) * W + ((j + dj + W) % W)] = d[b * H * W + i * W + j];
  return tensor(out, x.shape, { dtype: x.dtype });
}

const maxDiff = (a: Tensor, b: Tensor): number => {
  expect(a.shape).toEqual(b.shape);
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
};

describe('p4 filter bank', () => {
  it('turns a 3×3 filter as torch.rot90 does, and shifts the orientation axis by r', () => {
    // [[0,1,2],[3,4,5],[6,7,8]] turned once counter-clockwise is [[2,5,8],[1,4,7],[0,3,6]].
    expect(Array.from(rot90Source(3, 1))).toEqual([2, 5, 8, 1, 4, 7, 0, 3, 6]);
    expect(Array.from(rot90Source(3, 4))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // Group filter O = C = 1, k = 1: output orientation r reads input orientation s from W[(s − r) mod 4].
    expect(Array.from(p4FilterIndex(1, 1, 4, 1))).toEqual([0, 1, 2, 3, 3, 0, 1, 2, 2, 3, 0, 1, 1, 2, 3, 0]);
  });
});

describe('p4 gradients (float64, central differences)', () => {
  it('P4LiftingConv2d: input, weight and bias', () => {
    const m = new P4LiftingConv2d(2, 2, 3, rng, { padding: 1, dtype: 'float64' });
    const x = rand([2, 2, 4, 4], 'float64', true);
    const r = gradCheck(() => m.forward(x), [x, m.weight, m.bias!]);
    expect(r.failures).toEqual([]);
  });
  it('P4GroupConv2d: input, weight and bias, with a stride', () => {
    const m = new P4GroupConv2d(2, 2, 3, rng, { stride: 2, padding: 1, dtype: 'float64' });
    const x = rand([2, 2, 4, 5, 5], 'float64', true);
    const r = gradCheck(() => m.forward(x), [x, m.weight, m.bias!]);
    expect(r.failures).toEqual([]);
  });
  it('P4OrientationPool: max and mean', () => {
    for (const mode of ['max', 'mean'] as const) {
      const x = rand([2, 3, 4, 3, 3], 'float64', true);
      expect(gradCheck(() => new P4OrientationPool(mode).forward(x), [x]).failures).toEqual([]);
    }
  });
});

describe('equivariance (to 1e-6)', () => {
  const lift = new P4LiftingConv2d(1, 3, 3, rng, { padding: 1, dtype: 'float64' });
  const group = new P4GroupConv2d(3, 2, 3, rng, { padding: 1, dtype: 'float64' });
  const x = rand([2, 1, 7, 7]);
  const xr = rot90(x);

  it('lifting: a quarter turn of the image turns every map and cycles the orientations by one', () => {
    const z = lift.forward(x);
    const zr = lift.forward(xr);
    expect(maxDiff(zr, rollOrientation(rot90(z)))).toBeLessThan(1e-6);
    // …and the maps do change: the property is not trivially true.
    expect(maxDiff(zr, z)).toBeGreaterThan(1e-2);
    expect(maxDiff(zr, rot90(z))).toBeGreaterThan(1e-2);
  });

  it('group: the same for p4 → p4, through two layers', () => {
    const z = group.forward(lift.forward(x));
    const zr = group.forward(lift.forward(xr));
    expect(maxDiff(zr, rollOrientation(rot90(z)))).toBeLessThan(1e-6);
    expect(maxDiff(zr, rot90(z))).toBeGreaterThan(1e-2);
    // Four quarter turns come back to the start.
    let y = x;
    for (let t = 0; t < 4; t++) y = rot90(y);
    expect(maxDiff(group.forward(lift.forward(y)), z)).toBe(0);
  });

  it('orientation pooling keeps the maps turning; global pooling after it makes the output invariant', () => {
    const pool = new P4OrientationPool('max');
    const p = pool.forward(group.forward(lift.forward(x)));
    const pr = pool.forward(group.forward(lift.forward(xr)));
    expect(maxDiff(pr, rot90(p))).toBeLessThan(1e-6);
    expect(maxDiff(mean(pr, [2, 3]), mean(p, [2, 3]))).toBeLessThan(1e-6);
  });

  it('an ordinary Conv2d is translation-equivariant (interior) but not rotation-equivariant', () => {
    const conv = new Conv2d(1, 3, 3, rng, { padding: 1, dtype: 'float64' });
    // An image that is zero near the border: a circular shift moves it without wrapping content.
    const img = rand([1, 1, 9, 9]);
    for (let i = 0; i < 81; i++) if (i < 18 || i >= 63 || i % 9 < 2 || i % 9 > 6) img.data[i] = 0;
    const z = conv.forward(img);
    expect(maxDiff(conv.forward(shift(img, 1, 1)), shift(z, 1, 1))).toBeLessThan(1e-6);
    expect(maxDiff(conv.forward(rot90(img)), rot90(z))).toBeGreaterThan(1e-2);
  });
});

const hasTorch = torchSkipReason('the PyTorch parity of the p4 layers') === null;

describe('PyTorch parity (torch.rot90, torch.roll, F.conv2d)', () => {
  for (const dtype of ['float32', 'float64'] as const)
    it.skipIf(!hasTorch)(`lifting → group → orientation pool, ${dtype}: values and gradients`, () => {
      const lift = new P4LiftingConv2d(2, 3, 3, rng, { padding: 1, dtype });
      const group = new P4GroupConv2d(3, 2, 3, rng, { stride: 2, padding: 1, dtype });
      const x = rand([2, 2, 6, 6], dtype, true);
      const pool = new P4OrientationPool('max');
      const h = lift.forward(x);
      const z = group.forward(h);
      const y = pool.forward(z);
      const proj = rand([...y.shape], dtype);
      let s = 0;
      for (let i = 0; i < y.size; i++) s += y.data[i] * proj.data[i];
      const grads = grad([y], [x, lift.weight, lift.bias!, group.weight, group.bias!], [proj]);
      const flat = (t: Tensor) => Array.from(t.data);
      const req = {
        x: flat(x),
        proj: flat(proj),
        lw: flat(lift.weight),
        lb: flat(lift.bias!),
        gw: flat(group.weight),
        gb: flat(group.bias!),
      };
      const source = [
        'import json, sys, math',
        'import torch',
        'import torch.nn as nn',
        'import torch.nn.functional as F',
        `torch.set_default_dtype(torch.${dtype})`,
        LIFT_PY,
        GROUP_PY,
        'r = json.load(sys.stdin)',
        'lift = P4LiftingConv2d(2, 3, 3, padding=1)',
        'group = P4GroupConv2d(3, 2, 3, stride=2, padding=1)',
        'with torch.no_grad():',
        "    lift.weight.copy_(torch.tensor(r['lw']).reshape(lift.weight.shape)); lift.bias.copy_(torch.tensor(r['lb']))",
        "    group.weight.copy_(torch.tensor(r['gw']).reshape(group.weight.shape)); group.bias.copy_(torch.tensor(r['gb']))",
        "x = torch.tensor(r['x']).reshape(2, 2, 6, 6).requires_grad_()",
        'y = group(lift(x)).max(dim=2).values',
        "loss = (y * torch.tensor(r['proj']).reshape(y.shape)).sum()",
        'g = torch.autograd.grad(loss, [x, lift.weight, lift.bias, group.weight, group.bias])',
        "print(json.dumps({'shape': list(y.shape), 'loss': loss.item(), 'y': y.reshape(-1).tolist(), 'g': [t.reshape(-1).tolist() for t in g]}))",
      ].join('\n');
      const py = spawnSync(PYTHON, ['-c', source], { input: JSON.stringify(req), encoding: 'utf8', timeout: 120_000 });
      if (py.status !== 0) throw new Error(`python failed:\n${py.stderr}`);
      const t = JSON.parse(py.stdout) as { shape: number[]; loss: number; y: number[]; g: number[][] };
      expect(y.shape).toEqual(t.shape);
      const tol = dtype === 'float64' ? 1e-12 : 2e-5;
      const close = (a: ArrayLike<number>, b: readonly number[], what: string) => {
        expect(a.length, what).toBe(b.length);
        const scale = Math.max(1, ...b.map(Math.abs));
        for (let i = 0; i < b.length; i++) expect(Math.abs(a[i] - b[i]), `${what}[${i}]`).toBeLessThan(tol * scale);
      };
      expect(Math.abs(s - t.loss)).toBeLessThan(tol * Math.max(1, Math.abs(t.loss)) * 10);
      close(y.data, t.y, 'output');
      ['x', 'lift.weight', 'lift.bias', 'group.weight', 'group.bias'].forEach((name, i) =>
        close(grads[i].data, t.g[i], `∂/∂${name}`),
      );
    });
});
