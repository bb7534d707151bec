import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { tidy } from '../tensor/scope';
import { backward } from '../autograd/backward';
import { mul } from '../ops/arithmetic';
import { sum } from '../ops/reduce';
import { add } from '../ops/arithmetic';
import type { ParityCase, ParityRun } from './parityCases';
import { parseParityFile, runParityCase, toTensor } from './parityCases';
import { rnnForward } from './rnnFunctional';
import type { RnnMode } from './rnnFunctional';

const file = parseParityFile(readFileSync(fileURLToPath(new URL('./__parity__/rnn.json', import.meta.url)), 'utf8'), 'rnn.json');

function build(c: ParityCase, dtype: DType): ParityRun {
  const cfg = c.config as { input_size: number; hidden_size: number; num_layers: number; bias: boolean; batch_first: boolean; bidirectional: boolean; nonlinearity?: string };
  const mode: RnnMode = c.layer === 'LSTM' ? 'LSTM' : c.layer === 'GRU' ? 'GRU' : cfg.nonlinearity === 'relu' ? 'RNN_RELU' : 'RNN_TANH';
  const params: Record<string, Tensor> = {};
  for (const [k, p] of Object.entries(c.params)) params[k] = toTensor(p, dtype, true);
  const inputs: Record<string, Tensor> = {};
  for (const [k, p] of Object.entries(c.inputs)) inputs[k] = toTensor(p, dtype, true);
  const r = rnnForward(
    { mode, inputSize: cfg.input_size, hiddenSize: cfg.hidden_size, numLayers: cfg.num_layers, bias: cfg.bias, batchFirst: cfg.batch_first, bidirectional: cfg.bidirectional },
    (name) => params[name] ?? null,
    inputs.input,
    inputs.h_0,
    inputs.c_0,
  );
  const outputs: Record<string, Tensor> = { output: r.output, h_n: r.hN };
  if (r.cN) outputs.c_n = r.cN;
  return { outputs, gradOf: { ...params, ...inputs } };
}

const lossOf = (outs: Record<string, Tensor>, probes: Record<string, Tensor>): Tensor =>
  Object.keys(probes)
    .map((k) => sum(mul(outs[k], probes[k])))
    .reduce((a, b) => add(a, b));

describe('RNN / LSTM / GRU match PyTorch (scripts/parity/rnn.py)', () => {
  for (const [dtype, tol] of [['float32', 1e-5], ['float64', 1e-7]] as const) {
    it.each(file.cases.map((c) => [c.name, c] as const))(`%s in ${dtype}`, (_name, c) => {
      const { errors } = tidy(() => runParityCase(c, dtype, build, { backward, lossOf }));
      const bad = Object.entries(errors).filter(([, e]) => !(e <= tol));
      expect(bad, `worst errors of ${c.name}`).toEqual([]);
    });
  }
});
