// The "TypeScript from scratch" language: every node type's forward and backward as plain
// functions over flat row-major Float64Arrays, with the shapes passed explicitly. A node type's
// `scratch` emitter calls the kernels below (they travel into the program as `helpers`, once
// each) and writes one backward line per chain-rule step, commented in the course's notation.
// The program around them (codegen/scratchProgram.ts) declares `N` (the batch size), `training`,
// the parameters `P`, their gradients `G`, a generator per random node `rng`, and a zeroed
// `d_<value>` array for every value a gradient flows into.
import type { EmitContext, EmitResult, ScratchTensor } from '../emit';
import type { TensorType } from '../nodeType';

/** The kernels, by function name: TypeScript source that type-checks under `strict`. */
export const KERNELS = {
  linearForward: `/** z = x·Aᵀ + b for \`rows\` rows of \`inF\` features (A is outF×inF, PyTorch's layout). */
function linearForward(x: Float64Array, rows: number, inF: number, outF: number, A: Float64Array, b: Float64Array | null): Float64Array {
  const z = new Float64Array(rows * outF);
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < outF; o++) {
      let s = b ? b[o] : 0;
      for (let i = 0; i < inF; i++) s += A[o * inF + i] * x[r * inF + i];
      z[r * outF + o] = s;
    }
  return z;
}`,
  linearBackwardWeight: `/** ∂L/∂A += ∂L/∂z · xᵀ, summed over the rows. */
function linearBackwardWeight(dz: Float64Array, x: Float64Array, rows: number, inF: number, outF: number, dA: Float64Array): void {
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < outF; o++) {
      const g = dz[r * outF + o];
      if (g !== 0) for (let i = 0; i < inF; i++) dA[o * inF + i] += g * x[r * inF + i];
    }
}`,
  linearBackwardBias: `/** ∂L/∂b += ∂L/∂z, summed over the rows. */
function linearBackwardBias(dz: Float64Array, rows: number, outF: number, db: Float64Array): void {
  for (let r = 0; r < rows; r++) for (let o = 0; o < outF; o++) db[o] += dz[r * outF + o];
}`,
  linearBackwardInput: `/** ∂L/∂x += Aᵀ · ∂L/∂z, row by row. */
function linearBackwardInput(dz: Float64Array, A: Float64Array, rows: number, inF: number, outF: number, dx: Float64Array): void {
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < outF; o++) {
      const g = dz[r * outF + o];
      if (g !== 0) for (let i = 0; i < inF; i++) dx[r * inF + i] += A[o * inF + i] * g;
    }
}`,
  sigmoidForward: `/** z = σ(x) = 1 / (1 + e^(−x)), elementwise. */
function sigmoidForward(x: Float64Array): Float64Array {
  return x.map((v) => 1 / (1 + Math.exp(-v)));
}`,
  sigmoidBackward: `/** ∂L/∂x += ∂L/∂z ⊙ z ⊙ (1 − z). */
function sigmoidBackward(z: Float64Array, dz: Float64Array, dx: Float64Array): void {
  for (let i = 0; i < z.length; i++) dx[i] += dz[i] * z[i] * (1 - z[i]);
}`,
  tanhForward: `/** z = tanh(x), elementwise. */
function tanhForward(x: Float64Array): Float64Array {
  return x.map((v) => Math.tanh(v));
}`,
  tanhBackward: `/** ∂L/∂x += ∂L/∂z ⊙ (1 − z²). */
function tanhBackward(z: Float64Array, dz: Float64Array, dx: Float64Array): void {
  for (let i = 0; i < z.length; i++) dx[i] += dz[i] * (1 - z[i] * z[i]);
}`,
  leakyReluForward: `/** z = max(0, x) + slope·min(0, x), elementwise (slope 0: the ReLU). */
function leakyReluForward(x: Float64Array, slope: number): Float64Array {
  return x.map((v) => (v > 0 ? v : slope * v));
}`,
  leakyReluBackward: `/** ∂L/∂x += ∂L/∂z where x > 0, slope·∂L/∂z elsewhere (the derivative at 0 is taken as slope, as PyTorch does). */
function leakyReluBackward(x: Float64Array, dz: Float64Array, slope: number, dx: Float64Array): void {
  for (let i = 0; i < x.length; i++) dx[i] += x[i] > 0 ? dz[i] : slope * dz[i];
}`,
  softmaxForward: `/** z = softmax along the middle axis of an outer×C×inner array: e^(x_i − max) / Σ_j e^(x_j − max). */
function softmaxForward(x: Float64Array, outer: number, C: number, inner: number, log: boolean): Float64Array {
  const z = new Float64Array(x.length);
  for (let o = 0; o < outer; o++)
    for (let k = 0; k < inner; k++) {
      const at = (c: number) => (o * C + c) * inner + k;
      let m = -Infinity;
      for (let c = 0; c < C; c++) m = Math.max(m, x[at(c)]);
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(x[at(c)] - m);
      for (let c = 0; c < C; c++) z[at(c)] = log ? x[at(c)] - m - Math.log(s) : Math.exp(x[at(c)] - m) / s;
    }
  return z;
}`,
  softmaxBackward: `/** softmax: ∂L/∂x_i += z_i (∂L/∂z_i − Σ_j ∂L/∂z_j z_j); log-softmax: ∂L/∂x_i += ∂L/∂z_i − e^(z_i) Σ_j ∂L/∂z_j. */
function softmaxBackward(z: Float64Array, dz: Float64Array, outer: number, C: number, inner: number, log: boolean, dx: Float64Array): void {
  for (let o = 0; o < outer; o++)
    for (let k = 0; k < inner; k++) {
      const at = (c: number) => (o * C + c) * inner + k;
      let s = 0;
      for (let c = 0; c < C; c++) s += log ? dz[at(c)] : dz[at(c)] * z[at(c)];
      for (let c = 0; c < C; c++) {
        const i = at(c);
        dx[i] += log ? dz[i] - Math.exp(z[i]) * s : z[i] * (dz[i] - s);
      }
    }
}`,
  addInto: `/** ∂L/∂x += ∂L/∂z, element by element (the values were only moved or reshaped). */
function addInto(dx: Float64Array, dz: Float64Array): void {
  for (let i = 0; i < dz.length; i++) dx[i] += dz[i];
}`,
  broadcastAt: `/** The element of an array of shape \`from\` that broadcasts to element \`i\` of shape \`to\` (NumPy rules). */
function broadcastAt(i: number, to: readonly number[], from: readonly number[]): number {
  let at = 0;
  let stride = 1;
  for (let d = 1; d <= to.length; d++) {
    const n = to[to.length - d];
    const k = i % n;
    i = (i - k) / n;
    const m = d <= from.length ? from[from.length - d] : 1;
    if (m !== 1) at += k * stride;
    stride *= m;
  }
  return at;
}`,
  concatForward: `/** z = [a; b; …] along the middle axis of outer×Cₖ×inner arrays. */
function concatForward(parts: readonly Float64Array[], outer: number, sizes: readonly number[], inner: number): Float64Array {
  const C = sizes.reduce((a, b) => a + b, 0);
  const z = new Float64Array(outer * C * inner);
  for (let o = 0; o < outer; o++) {
    let off = 0;
    parts.forEach((p, k) => {
      z.set(p.subarray(o * sizes[k] * inner, (o + 1) * sizes[k] * inner), (o * C + off) * inner);
      off += sizes[k];
    });
  }
  return z;
}`,
  concatBackward: `/** ∂L/∂part += the slice of ∂L/∂z the part was copied to (offset…offset+size along the middle axis). */
function concatBackward(dz: Float64Array, outer: number, C: number, inner: number, offset: number, size: number, dp: Float64Array): void {
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < size * inner; j++) dp[o * size * inner + j] += dz[(o * C + offset) * inner + j];
}`,
  dropoutMask: `/** Inverted dropout's mask: 1/(1−p) with probability 1−p, else 0 (one uniform per element); all ones in evaluation. */
function dropoutMask(size: number, p: number, training: boolean, rng: Rng): Float64Array {
  const m = new Float64Array(size).fill(1);
  if (!training || p === 0) return m;
  const scale = p === 1 ? 0 : 1 / (1 - p);
  for (let i = 0; i < size; i++) m[i] = rng.next() >= p ? scale : 0;
  return m;
}`,
  mulForward: `/** z = x ⊙ m, elementwise. */
function mulForward(x: Float64Array, m: Float64Array): Float64Array {
  return x.map((v, i) => v * m[i]);
}`,
  mulBackward: `/** ∂L/∂x += ∂L/∂z ⊙ m. */
function mulBackward(dz: Float64Array, m: Float64Array, dx: Float64Array): void {
  for (let i = 0; i < dz.length; i++) dx[i] += dz[i] * m[i];
}`,
  signForward: `/** ŷ = +1 where x ≥ 0, −1 elsewhere (no gradient). */
function signForward(x: Float64Array): Float64Array {
  return x.map((v) => (v >= 0 ? 1 : -1));
}`,
  thresholdForward: `/** ŷ = 1 where x ≥ t, 0 elsewhere (no gradient). */
function thresholdForward(x: Float64Array, t: number): Float64Array {
  return x.map((v) => (v >= t ? 1 : 0));
}`,
  argmaxForward: `/** ŷ = the index of the largest of the C values along the middle axis (the first of equals; no gradient). */
function argmaxForward(x: Float64Array, outer: number, C: number, inner: number): Float64Array {
  const z = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++)
    for (let k = 0; k < inner; k++) {
      let best = 0;
      for (let c = 1; c < C; c++) if (x[(o * C + c) * inner + k] > x[(o * C + best) * inner + k]) best = c;
      z[o * inner + k] = best;
    }
  return z;
}`,
  softplus: `/** log(1 + e^v), computed stably. */
function softplus(v: number): number {
  return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
}`,
  elementwiseLoss: `/** The per-element losses of the course, ℓ(w, y) and ∂ℓ/∂w, for prediction w and target y. */
type ElementLoss = 'mse' | 'l1' | 'bce' | 'logistic' | 'hinge' | 'hinge01' | 'perceptron';
function elementLoss(kind: ElementLoss, w: number, y: number): [loss: number, slope: number] {
  switch (kind) {
    case 'mse': return [(w - y) * (w - y), 2 * (w - y)];
    case 'l1': return [Math.abs(w - y), Math.sign(w - y)];
    case 'bce': return [softplus(w) - y * w, 1 / (1 + Math.exp(-w)) - y];
    case 'logistic': return [softplus(-y * w), -y / (1 + Math.exp(y * w))];
    case 'hinge': return 1 - y * w > 0 ? [1 - y * w, -y] : [0, 0];
    case 'hinge01': { const s = 2 * y - 1; return 1 - s * w > 0 ? [1 - s * w, -s] : [0, 0]; }
    case 'perceptron': return -y * w > 0 ? [-y * w, -y] : [0, 0];
  }
}
/** L = (1/n or 1)·Σᵢ ℓ(wᵢ, yᵢ) over the n elements. */
function elementwiseLoss(kind: ElementLoss, w: Float64Array, y: Float64Array, mean: boolean): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += elementLoss(kind, w[i], y[i])[0];
  return mean ? s / w.length : s;
}
/** ∂L/∂wᵢ += (1/n or 1)·∂ℓ/∂w(wᵢ, yᵢ). */
function elementwiseLossBackward(kind: ElementLoss, w: Float64Array, y: Float64Array, mean: boolean, dw: Float64Array): void {
  const scale = mean ? 1 / w.length : 1;
  for (let i = 0; i < w.length; i++) dw[i] += scale * elementLoss(kind, w[i], y[i])[1];
}`,
  classLoss: `/** The per-row losses over class scores (rows×C) and class indices y, and ∂ℓ/∂w for the row. */
type ClassLoss = 'cross-entropy' | 'nll' | 'multiclass-hinge';
function classLoss(kind: ClassLoss, w: Float64Array, y: number, margin: number): [loss: number, slope: Float64Array] {
  const C = w.length;
  const g = new Float64Array(C);
  if (kind === 'nll') {
    g[y] = -1;
    return [-w[y], g];
  }
  if (kind === 'cross-entropy') {
    // ℓ = log Σ_c e^(w_c) − w_y;  ∂ℓ/∂w = softmax(w) − onehot(y)
    const m = Math.max(...w);
    let s = 0;
    for (let c = 0; c < C; c++) s += Math.exp(w[c] - m);
    for (let c = 0; c < C; c++) g[c] = Math.exp(w[c] - m) / s - (c === y ? 1 : 0);
    return [m + Math.log(s) - w[y], g];
  }
  // ℓ = max(0, m − w_y + max_{c≠y} w_c); ties in the max share its gradient equally.
  let worst = -Infinity;
  for (let c = 0; c < C; c++) if (c !== y) worst = Math.max(worst, w[c]);
  const l = margin - w[y] + worst;
  if (l <= 0) return [0, g];
  const ties: number[] = [];
  for (let c = 0; c < C; c++) if (c !== y && w[c] === worst) ties.push(c);
  for (const c of ties) g[c] = 1 / ties.length;
  g[y] = -1;
  return [l, g];
}
/** L = (1/rows kept or 1)·Σ_r ℓ(w_r, y_r) over the rows whose class is not \`ignore\`. */
function classesLoss(kind: ClassLoss, w: Float64Array, y: Float64Array, C: number, mean: boolean, margin: number, ignore: number): number {
  let s = 0;
  let kept = 0;
  for (let r = 0; r < y.length; r++) {
    if (y[r] === ignore) continue;
    s += classLoss(kind, w.subarray(r * C, r * C + C), y[r], margin)[0];
    kept++;
  }
  return mean ? s / kept : s;
}
/** ∂L/∂w_r += (1/rows kept or 1)·∂ℓ/∂w(w_r, y_r), row by row (0 for an ignored row). */
function classesLossBackward(kind: ClassLoss, w: Float64Array, y: Float64Array, C: number, mean: boolean, margin: number, ignore: number, dw: Float64Array): void {
  const kept = y.filter((v) => v !== ignore).length;
  const scale = mean ? 1 / kept : 1;
  for (let r = 0; r < y.length; r++) {
    if (y[r] === ignore) continue;
    const g = classLoss(kind, w.subarray(r * C, r * C + C), y[r], margin)[1];
    for (let c = 0; c < C; c++) dw[r * C + c] += scale * g[c];
  }
}`,
  binaryForward: `/** z = a ∘ b elementwise (∘ one of + − · /), with broadcasting (shapes as NumPy/PyTorch broadcast them). */
type BinaryOp = 'add' | 'sub' | 'mul' | 'div';
function binaryForward(op: BinaryOp, a: Float64Array, aShape: readonly number[], b: Float64Array, bShape: readonly number[], shape: readonly number[]): Float64Array {
  const z = new Float64Array(shape.reduce((p, d) => p * d, 1));
  for (let i = 0; i < z.length; i++) {
    const [u, v] = [a[broadcastAt(i, shape, aShape)], b[broadcastAt(i, shape, bShape)]];
    z[i] = op === 'add' ? u + v : op === 'sub' ? u - v : op === 'mul' ? u * v : u / v;
  }
  return z;
}
/** ∂L/∂a += ∂L/∂z ⊙ ∂z/∂a (or the same for b), summed over the axes the operand was broadcast along. */
function binaryBackward(op: BinaryOp, wrt: 'a' | 'b', dz: Float64Array, a: Float64Array, aShape: readonly number[], b: Float64Array, bShape: readonly number[], shape: readonly number[], d: Float64Array): void {
  for (let i = 0; i < dz.length; i++) {
    const [ia, ib] = [broadcastAt(i, shape, aShape), broadcastAt(i, shape, bShape)];
    const [u, v] = [a[ia], b[ib]];
    let s: number;
    if (op === 'add') s = 1;
    else if (op === 'sub') s = wrt === 'a' ? 1 : -1;
    else if (op === 'mul') s = wrt === 'a' ? v : u;
    else s = wrt === 'a' ? 1 / v : -u / (v * v);
    d[wrt === 'a' ? ia : ib] += dz[i] * s;
  }
}`,
  axisIndex: `/** For each element of x's slice (positions \`at\` along the middle axis of outer×size×inner), where it comes from in x. */
function axisIndex(outer: number, size: number, inner: number, at: readonly number[]): Int32Array {
  const index = new Int32Array(outer * at.length * inner);
  for (let o = 0; o < outer; o++)
    at.forEach((p, k) => {
      for (let q = 0; q < inner; q++) index[(o * at.length + k) * inner + q] = (o * size + p) * inner + q;
    });
  return index;
}`,
  permuteIndex: `/** For each element of x permuted (output dimension i is input dimension perm[i]), where it comes from in x. */
function permuteIndex(shape: readonly number[], perm: readonly number[]): Int32Array {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
  const out = perm.map((p) => shape[p]);
  const index = new Int32Array(out.reduce((p, d) => p * d, 1));
  for (let i = 0; i < index.length; i++) {
    let rest = i;
    let at = 0;
    for (let k = out.length - 1; k >= 0; k--) {
      at += (rest % out[k]) * strides[perm[k]];
      rest = Math.floor(rest / out[k]);
    }
    index[i] = at;
  }
  return index;
}`,
  gatherForward: `/** z_i = x[index_i]: the values picked or reordered. */
function gatherForward(x: Float64Array, index: Int32Array): Float64Array {
  return Float64Array.from(index, (at) => x[at]);
}`,
  gatherBackward: `/** ∂L/∂x[index_i] += ∂L/∂z_i: each picked value sends its gradient back where it came from. */
function gatherBackward(dz: Float64Array, index: Int32Array, dx: Float64Array): void {
  for (let i = 0; i < index.length; i++) dx[index[i]] += dz[i];
}`,
  reduceForward: `/** z = the sum, mean or max along the middle axis of outer×size×inner (max: also where the first maximum is). */
function reduceForward(x: Float64Array, outer: number, size: number, inner: number, op: 'sum' | 'mean' | 'max'): [Float64Array, Int32Array] {
  const z = new Float64Array(outer * inner);
  const from = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++)
    for (let q = 0; q < inner; q++) {
      let s = op === 'max' ? -Infinity : 0;
      let at = o * size * inner + q;
      for (let k = 0; k < size; k++) {
        const i = (o * size + k) * inner + q;
        if (op !== 'max') s += x[i];
        else if (x[i] > s || Number.isNaN(x[i])) {
          [s, at] = [x[i], i];
          if (Number.isNaN(s)) break;
        }
      }
      z[o * inner + q] = op === 'mean' ? s / size : s;
      from[o * inner + q] = at;
    }
  return [z, from];
}`,
  reduceBackward: `/** sum: ∂L/∂x_k += ∂L/∂z; mean: ∂L/∂z / size; max: ∂L/∂z to the first maximum only. */
function reduceBackward(dz: Float64Array, from: Int32Array, outer: number, size: number, inner: number, op: 'sum' | 'mean' | 'max', dx: Float64Array): void {
  for (let o = 0; o < outer; o++)
    for (let q = 0; q < inner; q++) {
      const g = dz[o * inner + q];
      if (op === 'max') dx[from[o * inner + q]] += g;
      else for (let k = 0; k < size; k++) dx[(o * size + k) * inner + q] += op === 'mean' ? g / size : g;
    }
}`,
} as const;

export type KernelName = keyof typeof KERNELS;

/** Kernels that call other kernels. */
const NEEDS: Partial<Record<KernelName, readonly KernelName[]>> = {
  binaryForward: ['broadcastAt'],
  elementwiseLoss: ['softplus'],
};

/** The source of some kernels and of those they call, for `helpers`. */
export function kernels(...names: KernelName[]): string[] {
  const out: string[] = [];
  const add = (n: KernelName) => {
    for (const d of NEEDS[n] ?? []) add(d);
    if (!out.includes(KERNELS[n])) out.push(KERNELS[n]);
  };
  names.forEach(add);
  return out;
}

/** A dimension as generated code writes it: the batch (−1) is `N`. */
export const dimOf = (d: number): string => (d === -1 ? 'N' : String(d));

/** The number of elements of a shape, as an expression: `N * 8`. */
export function sizeOf(shape: readonly number[]): string {
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const batch = shape.includes(-1);
  if (!batch) return String(known);
  return known === 1 ? 'N' : `N * ${known}`;
}

/** A shape as a TypeScript array literal: `[N, 8]`. */
export const shapeOf = (shape: readonly number[]): string => `[${shape.map(dimOf).join(', ')}]`;

/** outer×C×inner around dimension `d` of a shape, as expressions. */
export function around(shape: readonly number[], d: number): { outer: string; C: string; inner: string } {
  return { outer: sizeOf(shape.slice(0, d)), C: dimOf(shape[d]), inner: sizeOf(shape.slice(d + 1)) };
}

/** `P['fc1.weight']` and its gradient `G['fc1.weight']`. */
export const param = (ctx: EmitContext<unknown>, tensor: string): string =>
  `P[${JSON.stringify(`${ctx.name}.${tensor}`)}]`;
export const grad = (ctx: EmitContext<unknown>, tensor: string): string =>
  `G[${JSON.stringify(`${ctx.name}.${tensor}`)}]`;

/** An input's value, its type (inference succeeded, so it is known) and its gradient array (or undefined). */
export function port(ctx: EmitContext<unknown>, name: string): { v: string; t: TensorType; d: string | undefined } {
  return { v: ctx.inputs[name], t: ctx.inputTypes[name]!, d: ctx.gradInputs?.[name] };
}

/** The output value's name and its gradient array's name. */
export function output(ctx: EmitContext<unknown>, name = 'out'): { z: string; dz: string } {
  const z = ctx.outputs[name] ?? `${ctx.name}_${name}`;
  return { z, dz: `d_${z}` };
}

/** A from-scratch emitter's result: kernels, forward and backward lines, tensors. */
export function scratch(
  helpers: readonly string[],
  forward: readonly string[],
  backward: readonly string[] = [],
  tensors: readonly ScratchTensor[] = [],
  random = false,
): EmitResult {
  return { init: [], forward, backward, helpers, tensors, ...(random ? { random } : {}) };
}

/** A node type that cannot be written from scratch: the export names the node and gives `why`. */
export const refuseScratch = (why: string) => (): EmitResult => ({ init: [], forward: [], refused: why });

/** An elementwise activation: forward `z = f(x)`, backward one line. */
export function scratchElementwise(
  ctx: EmitContext<unknown>,
  fwd: { kernel: KernelName; args?: string },
  bwd: { kernel: KernelName; call: (x: string, z: string, dz: string, dx: string) => string; note: string },
): EmitResult {
  const x = port(ctx, 'input');
  const { z, dz } = output(ctx);
  const extra = fwd.args ? `, ${fwd.args}` : '';
  return scratch(
    kernels(fwd.kernel, bwd.kernel),
    [`const ${z} = ${fwd.kernel}(${x.v}${extra});`],
    x.d ? [`${bwd.call(x.v, z, dz, x.d)}; // ${bwd.note}`] : [],
  );
}

/** The last dimension of a known type, as an expression. */
export const lastDimOf = (t: TensorType): string => dimOf(t.shape[t.shape.length - 1]);
