import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tensor } from '../tensor/tensor';
import { tensor } from '../tensor/create';
import { add, mul, square } from '../ops/arithmetic';
import { exp } from '../ops/unary';
import { tanh, sigmoid } from '../ops/activation';
import { sum } from '../ops/reduce';
import { matmul } from '../ops/matmul';
import { reshape } from '../ops/shape';
import { backward } from './backward';

// retainGrad() against PyTorch 1.13's retain_grad(): scripts/parity/retain_grad.py builds the same
// graphs and prints every retained .grad after one and after two backward passes; compared live.
// Runs only where /usr/bin/python3 can import torch; elsewhere it prints why it skipped.
const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.resolve(here, '..', '..', '..', 'scripts', 'parity', 'retain_grad.py');
const python = '/usr/bin/python3';

type Grads = Record<string, number[]>;
type Reference = Record<string, { once: Grads; twice: Grads }>;

function loadReference(): Reference | string {
  const r = spawnSync(python, [script], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) return `cannot run ${python}: ${r.error.message}`;
  if (r.status !== 0)
    return `${python} could not run the torch reference script (${r.stderr.trim().split('\n').pop()})`;
  return JSON.parse(r.stdout) as Reference;
}

const reference = loadReference();
if (typeof reference === 'string') console.log(`Skipping the retainGrad PyTorch parity: ${reference}.`);

const f64 = (v: number[]): Tensor => tensor(v, undefined, { dtype: 'float64', requiresGrad: true });

const cases: Record<string, () => { loss: Tensor; retained: Record<string, Tensor> }> = {
  diamond: () => {
    const x = f64([0.3, -0.7, 1.1]);
    const a = tanh(mul(x, 1.5));
    const b = exp(a);
    const c = mul(a, 2);
    const d = mul(b, c);
    return { loss: sum(d), retained: { a, b, c, d } };
  },
  chain: () => {
    const x = f64([0.2, -0.4]);
    const a = tanh(x);
    const y3 = sigmoid(mul(exp(x), 3));
    return { loss: sum(mul(a, y3)), retained: { a } };
  },
  squareByMul: () => {
    const x = f64([0.5, -1.5, 2]);
    const a = tanh(x);
    return { loss: sum(mul(a, a)), retained: { a } };
  },
  view: () => {
    const x = f64([0.1, -0.2, 0.3, 0.4]);
    const v = reshape(x, [2, 2]);
    return { loss: sum(add(matmul(v, v), square(v))), retained: { v } };
  },
};

function expectGrads(retained: Record<string, Tensor>, want: Grads): void {
  expect(Object.keys(retained).sort()).toEqual(Object.keys(want).sort());
  for (const [k, t] of Object.entries(retained)) {
    expect(t.grad, `${k}.grad`).not.toBeNull();
    const got = (t.grad as Tensor).toArray();
    expect(got).toHaveLength(want[k].length);
    got.forEach((v, i) =>
      expect(Math.abs(v - want[k][i]), `${k}.grad[${i}]`).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(want[k][i]))),
    );
  }
}

describe('retainGrad matches PyTorch retain_grad', () => {
  for (const [name, build] of Object.entries(cases)) {
    it.skipIf(typeof reference === 'string')(`${name}: retained gradients after one and two backward passes`, () => {
      const ref = (reference as Reference)[name];
      expect(ref, `the script has no case ${name}`).toBeDefined();
      const { loss, retained } = build();
      for (const t of Object.values(retained)) t.retainGrad();
      backward(loss);
      expectGrads(retained, ref.once);
      backward(loss);
      expectGrads(retained, ref.twice);
    });
  }
});
