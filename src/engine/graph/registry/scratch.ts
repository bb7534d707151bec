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
  conv2dShape: `/** The geometry of a 2-D convolution or pooling: input N×C×H×W, output N×O×Ho×Wo, a k×k window. */
interface Conv2dShape { N: number; C: number; H: number; W: number; O: number; Ho: number; Wo: number; k: number; stride: number; pad: number; dil: number }`,
  conv2dForward: `/** Z[n,o,i,j] = b[o] + Σ_{c,u,v} K[o,c,u,v] · X[n, c, i·s − p + u·d, j·s − p + v·d] (zero outside X). */
function conv2dForward(x: Float64Array, g: Conv2dShape, K: Float64Array, b: Float64Array | null): Float64Array {
  const { N, C, H, W, O, Ho, Wo, k, stride, pad, dil } = g;
  const z = new Float64Array(N * O * Ho * Wo);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < Ho; i++)
        for (let j = 0; j < Wo; j++) {
          let s = b ? b[o] : 0;
          for (let c = 0; c < C; c++)
            for (let u = 0; u < k; u++) {
              const h = i * stride - pad + u * dil;
              if (h < 0 || h >= H) continue;
              for (let v = 0; v < k; v++) {
                const w = j * stride - pad + v * dil;
                if (w >= 0 && w < W) s += K[((o * C + c) * k + u) * k + v] * x[((n * C + c) * H + h) * W + w];
              }
            }
          z[((n * O + o) * Ho + i) * Wo + j] = s;
        }
  return z;
}
/** Both convolution gradients at once: ∂L/∂K += Σ ∂L/∂Z[n,o,i,j] · X[window] and, with dx, ∂L/∂X[window] += K · ∂L/∂Z[n,o,i,j]. */
function conv2dBackward(dz: Float64Array, x: Float64Array, g: Conv2dShape, K: Float64Array, dK: Float64Array | null, dx: Float64Array | null): void {
  const { N, C, H, W, O, Ho, Wo, k, stride, pad, dil } = g;
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < Ho; i++)
        for (let j = 0; j < Wo; j++) {
          const d = dz[((n * O + o) * Ho + i) * Wo + j];
          if (d === 0) continue;
          for (let c = 0; c < C; c++)
            for (let u = 0; u < k; u++) {
              const h = i * stride - pad + u * dil;
              if (h < 0 || h >= H) continue;
              for (let v = 0; v < k; v++) {
                const w = j * stride - pad + v * dil;
                if (w < 0 || w >= W) continue;
                const at = ((n * C + c) * H + h) * W + w;
                const kat = ((o * C + c) * k + u) * k + v;
                if (dK) dK[kat] += d * x[at];
                if (dx) dx[at] += d * K[kat];
              }
            }
        }
}`,
  conv2dBackwardBias: `/** ∂L/∂b[o] += Σ_{n,i,j} ∂L/∂Z[n,o,i,j]. */
function conv2dBackwardBias(dz: Float64Array, N: number, O: number, HoWo: number, db: Float64Array): void {
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let q = 0; q < HoWo; q++) db[o] += dz[(n * O + o) * HoWo + q];
}`,
  pool2dForward: `/** Max or average over each k×k window of each map; for max, also where each maximum came from (the first of equals). */
function pool2dForward(x: Float64Array, g: Conv2dShape, max: boolean): [Float64Array, Int32Array] {
  const { N, C, H, W, Ho, Wo, k, stride, pad } = g;
  const z = new Float64Array(N * C * Ho * Wo);
  const from = new Int32Array(max ? z.length : 0);
  for (let nc = 0; nc < N * C; nc++)
    for (let i = 0; i < Ho; i++)
      for (let j = 0; j < Wo; j++) {
        const q = (nc * Ho + i) * Wo + j;
        let best = -Infinity;
        let at = -1;
        let sum = 0;
        for (let u = 0; u < k; u++)
          for (let v = 0; v < k; v++) {
            const h = i * stride - pad + u;
            const w = j * stride - pad + v;
            if (h < 0 || h >= H || w < 0 || w >= W) continue;
            const a = (nc * H + h) * W + w;
            sum += x[a];
            if (x[a] > best || at < 0) [best, at] = [x[a], a];
          }
        z[q] = max ? best : sum / (k * k);
        if (max) from[q] = at;
      }
  return [z, from];
}`,
  maxPool2dBackward: `/** ∂L/∂X[where the maximum was] += ∂L/∂Z (the other elements of the window get nothing). */
function maxPool2dBackward(dz: Float64Array, from: Int32Array, dx: Float64Array): void {
  for (let q = 0; q < dz.length; q++) dx[from[q]] += dz[q];
}`,
  avgPool2dBackward: `/** ∂L/∂X[window] += ∂L/∂Z / k² (padding counts in the window, as PyTorch's default). */
function avgPool2dBackward(dz: Float64Array, g: Conv2dShape, dx: Float64Array): void {
  const { N, C, H, W, Ho, Wo, k, stride, pad } = g;
  for (let nc = 0; nc < N * C; nc++)
    for (let i = 0; i < Ho; i++)
      for (let j = 0; j < Wo; j++) {
        const d = dz[(nc * Ho + i) * Wo + j] / (k * k);
        for (let u = 0; u < k; u++)
          for (let v = 0; v < k; v++) {
            const h = i * stride - pad + u;
            const w = j * stride - pad + v;
            if (h >= 0 && h < H && w >= 0 && w < W) dx[(nc * H + h) * W + w] += d;
          }
      }
}`,
  batchNormForward: `/**
 * Batch normalisation of N×C×inner values per channel c: x̂ = (x − μ_c) / √(σ²_c + ε), z = γ_c x̂ + β_c.
 * Training: μ, σ² of the batch (biased), and the running statistics move by \`momentum\` toward μ and the
 * unbiased σ²; evaluation: the running statistics. Returns z, x̂ and 1/√(σ² + ε) per channel.
 */
function batchNormForward(x: Float64Array, N: number, C: number, inner: number, training: boolean, eps: number, momentum: number, gamma: Float64Array | null, beta: Float64Array | null, runMean: Float64Array, runVar: Float64Array): [Float64Array, Float64Array, Float64Array] {
  const z = new Float64Array(x.length);
  const xhat = new Float64Array(x.length);
  const inv = new Float64Array(C);
  const M = N * inner;
  for (let c = 0; c < C; c++) {
    let mean = runMean[c];
    let v = runVar[c];
    if (training) {
      mean = 0;
      for (let n = 0; n < N; n++) for (let q = 0; q < inner; q++) mean += x[(n * C + c) * inner + q];
      mean /= M;
      v = 0;
      for (let n = 0; n < N; n++) for (let q = 0; q < inner; q++) v += (x[(n * C + c) * inner + q] - mean) ** 2;
      v /= M;
      runMean[c] = (1 - momentum) * runMean[c] + momentum * mean;
      runVar[c] = (1 - momentum) * runVar[c] + momentum * v * (M / (M - 1));
    }
    inv[c] = 1 / Math.sqrt(v + eps);
    for (let n = 0; n < N; n++)
      for (let q = 0; q < inner; q++) {
        const i = (n * C + c) * inner + q;
        xhat[i] = (x[i] - mean) * inv[c];
        z[i] = gamma && beta ? gamma[c] * xhat[i] + beta[c] : xhat[i];
      }
  }
  return [z, xhat, inv];
}`,
  batchNormBackward: `/** ∂L/∂γ_c += Σ ∂L/∂z ⊙ x̂ and ∂L/∂β_c += Σ ∂L/∂z, over the batch and positions of channel c. */
function batchNormBackwardAffine(dz: Float64Array, xhat: Float64Array, N: number, C: number, inner: number, dgamma: Float64Array, dbeta: Float64Array): void {
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let q = 0; q < inner; q++) {
        const i = (n * C + c) * inner + q;
        dgamma[c] += dz[i] * xhat[i];
        dbeta[c] += dz[i];
      }
}
/**
 * ∂L/∂x: with ĝ = γ ⊙ ∂L/∂z, training gives (1/√(σ²+ε)) (ĝ − mean(ĝ) − x̂ ⊙ mean(ĝ ⊙ x̂)) (μ and σ² depend on x);
 * evaluation gives ĝ / √(σ²+ε) (the running statistics are constants).
 */
function batchNormBackwardInput(dz: Float64Array, xhat: Float64Array, inv: Float64Array, N: number, C: number, inner: number, training: boolean, gamma: Float64Array | null, dx: Float64Array): void {
  const M = N * inner;
  for (let c = 0; c < C; c++) {
    const gc = gamma ? gamma[c] : 1;
    let sg = 0;
    let sgx = 0;
    for (let n = 0; n < N; n++)
      for (let q = 0; q < inner; q++) {
        const i = (n * C + c) * inner + q;
        sg += gc * dz[i];
        sgx += gc * dz[i] * xhat[i];
      }
    for (let n = 0; n < N; n++)
      for (let q = 0; q < inner; q++) {
        const i = (n * C + c) * inner + q;
        const g = gc * dz[i];
        dx[i] += training ? inv[c] * (g - sg / M - (xhat[i] * sgx) / M) : inv[c] * g;
      }
  }
}`,
  embeddingForward: `/** z_t = E[x_t]: row x_t of the D-column table E, for every index t. */
function embeddingForward(x: Float64Array, E: Float64Array, D: number): Float64Array {
  const z = new Float64Array(x.length * D);
  x.forEach((id, t) => z.set(E.subarray(id * D, id * D + D), t * D));
  return z;
}`,
  embeddingBackward: `/** ∂L/∂E[x_t] += ∂L/∂z_t: each looked-up row collects its gradients. */
function embeddingBackward(dz: Float64Array, x: Float64Array, D: number, dE: Float64Array): void {
  x.forEach((id, t) => {
    for (let j = 0; j < D; j++) dE[id * D + j] += dz[t * D + j];
  });
}`,
  recurrent: `/** One layer and direction's weights (PyTorch's weight_ih_lk, weight_hh_lk, bias_ih_lk, bias_hh_lk; gates stacked in rows). */
interface RecurrentWeights { Wih: Float64Array; Whh: Float64Array; bih: Float64Array | null; bhh: Float64Array | null }
/** The cell: an Elman RNN (tanh or relu), an LSTM (gates i, f, g, o) or a GRU (gates r, z, n). */
type CellKind = 'tanh' | 'relu' | 'lstm' | 'gru';
/** What the forward pass keeps for backpropagation through time, per layer·direction. */
interface RecurrentTape {
  kind: CellKind; N: number; T: number; F: number; H: number; layers: number; dirs: number;
  W: RecurrentWeights[];
  /** Each layer's input, N×T×in. */
  inputs: Float64Array[];
  /** States in processing order, N×(T+1)×H (slot 0: the initial state). */
  h: Float64Array[]; c: Float64Array[];
  /** Gate values after their activation, N×T×G·H; GRU also W_hn·h + b_hn, N×T×H. */
  gates: Float64Array[]; hn: Float64Array[];
}
const GATES: Record<CellKind, number> = { tanh: 1, relu: 1, lstm: 4, gru: 3 };
const sigm = (v: number) => 1 / (1 + Math.exp(-v));
/** y[0..rows) += M·v for an rows×cols matrix M. */
function matVec(M: Float64Array, v: Float64Array, vAt: number, rows: number, cols: number, y: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = 0; k < cols; k++) s += M[r * cols + k] * v[vAt + k];
    y[r] += s;
  }
}
/**
 * A multi-layer, optionally bidirectional recurrent layer over a batch-first N×T×F sequence. Per
 * layer and direction, step by step: a = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh, then the cell.
 * Returns every step's last-layer output (directions side by side), the final states, and the tape.
 */
function recurrentForward(kind: CellKind, x: Float64Array, N: number, T: number, F: number, H: number, layers: number, dirs: number, W: RecurrentWeights[], h0: Float64Array | null, c0: Float64Array | null): { output: Float64Array; hidden: Float64Array; cell: Float64Array; tape: RecurrentTape } {
  const G = GATES[kind];
  const tape: RecurrentTape = { kind, N, T, F, H, layers, dirs, W, inputs: [], h: [], c: [], gates: [], hn: [] };
  const hidden = new Float64Array(N * dirs * H);
  const cell = new Float64Array(N * dirs * H);
  let input = x;
  for (let l = 0; l < layers; l++) {
    const inF = l === 0 ? F : dirs * H;
    const out = new Float64Array(N * T * dirs * H);
    tape.inputs.push(input);
    for (let d = 0; d < dirs; d++) {
      const { Wih, Whh, bih, bhh } = W[l * dirs + d];
      const hs = new Float64Array(N * (T + 1) * H);
      const cs = new Float64Array(kind === 'lstm' ? N * (T + 1) * H : 0);
      const gates = new Float64Array(N * T * G * H);
      const hn = new Float64Array(kind === 'gru' ? N * T * H : 0);
      for (let n = 0; n < N; n++) {
        if (h0) hs.set(h0.subarray(n * H, n * H + H), n * (T + 1) * H);
        if (c0 && kind === 'lstm') cs.set(c0.subarray(n * H, n * H + H), n * (T + 1) * H);
        for (let s = 0; s < T; s++) {
          const t = d === 0 ? s : T - 1 - s;
          const prev = (n * (T + 1) + s) * H;
          const next = prev + H;
          const ai = new Float64Array(G * H);
          const ah = new Float64Array(G * H);
          if (bih) ai.set(bih);
          if (bhh) ah.set(bhh);
          matVec(Wih, input, (n * T + t) * inF, G * H, inF, ai);
          matVec(Whh, hs, prev, G * H, H, ah);
          const g = gates.subarray((n * T + s) * G * H, (n * T + s + 1) * G * H);
          for (let j = 0; j < H; j++) {
            if (kind === 'tanh' || kind === 'relu') {
              const a = ai[j] + ah[j];
              g[j] = hs[next + j] = kind === 'tanh' ? Math.tanh(a) : Math.max(0, a);
            } else if (kind === 'lstm') {
              const [i, f, gg, o] = [0, 1, 2, 3].map((k) => ai[k * H + j] + ah[k * H + j]);
              [g[j], g[H + j], g[2 * H + j], g[3 * H + j]] = [sigm(i), sigm(f), Math.tanh(gg), sigm(o)];
              cs[next + j] = g[H + j] * cs[prev + j] + g[j] * g[2 * H + j];
              hs[next + j] = g[3 * H + j] * Math.tanh(cs[next + j]);
            } else {
              const r = sigm(ai[j] + ah[j]);
              const z = sigm(ai[H + j] + ah[H + j]);
              hn[(n * T + s) * H + j] = ah[2 * H + j];
              const nn = Math.tanh(ai[2 * H + j] + r * ah[2 * H + j]);
              [g[j], g[H + j], g[2 * H + j]] = [r, z, nn];
              hs[next + j] = (1 - z) * nn + z * hs[prev + j];
            }
          }
          out.set(hs.subarray(next, next + H), (n * T + t) * dirs * H + d * H);
        }
        const last = (n * (T + 1) + T) * H;
        hidden.set(hs.subarray(last, last + H), n * dirs * H + d * H);
        if (kind === 'lstm') cell.set(cs.subarray(last, last + H), n * dirs * H + d * H);
      }
      tape.h.push(hs);
      tape.c.push(cs);
      tape.gates.push(gates);
      tape.hn.push(hn);
    }
    input = out;
  }
  return { output: input, hidden, cell, tape };
}
/**
 * Backpropagation through time, last layer first and, in each direction, last step first:
 * ∂L/∂h_t = ∂L/∂output_t + ∂L/∂h_t (from step t+1); through the cell to ∂L/∂a;
 * ∂L/∂W_ih += ∂L/∂a · x_tᵀ, ∂L/∂W_hh += ∂L/∂a · h_{t−1}ᵀ, ∂L/∂b += ∂L/∂a;
 * ∂L/∂x_t += W_ihᵀ · ∂L/∂a and ∂L/∂h_{t−1} = W_hhᵀ · ∂L/∂a (GRU and LSTM add their direct paths).
 */
function recurrentBackward(tape: RecurrentTape, dOutput: Float64Array | null, dHidden: Float64Array | null, dCell: Float64Array | null, dW: RecurrentWeights[], dx: Float64Array | null, dh0: Float64Array | null, dc0: Float64Array | null): void {
  const { kind, N, T, F, H, layers, dirs, W } = tape;
  const G = GATES[kind];
  let dOut = dOutput ?? new Float64Array(N * T * dirs * H);
  for (let l = layers - 1; l >= 0; l--) {
    const inF = l === 0 ? F : dirs * H;
    const input = tape.inputs[l];
    const dIn = l === 0 ? dx : new Float64Array(N * T * inF);
    for (let d = 0; d < dirs; d++) {
      const k = l * dirs + d;
      const { Wih, Whh } = W[k];
      const [hs, cs, gates, hn] = [tape.h[k], tape.c[k], tape.gates[k], tape.hn[k]];
      for (let n = 0; n < N; n++) {
        const dh = new Float64Array(H);
        const dc = new Float64Array(H);
        if (l === layers - 1 && dHidden) dh.set(dHidden.subarray(n * dirs * H + d * H, n * dirs * H + d * H + H));
        if (l === layers - 1 && dCell && kind === 'lstm') dc.set(dCell.subarray(n * dirs * H + d * H, n * dirs * H + d * H + H));
        for (let s = T - 1; s >= 0; s--) {
          const t = d === 0 ? s : T - 1 - s;
          const prev = (n * (T + 1) + s) * H;
          const next = prev + H;
          const g = gates.subarray((n * T + s) * G * H, (n * T + s + 1) * G * H);
          const dai = new Float64Array(G * H);
          const dah = new Float64Array(G * H);
          const direct = new Float64Array(H);
          for (let j = 0; j < H; j++) {
            const dhj = dh[j] + dOut[(n * T + t) * dirs * H + d * H + j];
            if (kind === 'tanh') dai[j] = dah[j] = dhj * (1 - g[j] * g[j]);
            else if (kind === 'relu') dai[j] = dah[j] = g[j] > 0 ? dhj : 0;
            else if (kind === 'lstm') {
              const [i, f, gg, o] = [g[j], g[H + j], g[2 * H + j], g[3 * H + j]];
              const tc = Math.tanh(cs[next + j]);
              const dcj = dc[j] + dhj * o * (1 - tc * tc);
              const da = [dcj * gg * i * (1 - i), dcj * cs[prev + j] * f * (1 - f), dcj * i * (1 - gg * gg), dhj * tc * o * (1 - o)];
              da.forEach((v, q) => (dai[q * H + j] = dah[q * H + j] = v));
              dc[j] = dcj * f;
            } else {
              const [r, z, nn] = [g[j], g[H + j], g[2 * H + j]];
              const dan = dhj * (1 - z) * (1 - nn * nn);
              const dar = dan * hn[(n * T + s) * H + j] * r * (1 - r);
              const daz = dhj * (hs[prev + j] - nn) * z * (1 - z);
              [dai[j], dai[H + j], dai[2 * H + j]] = [dar, daz, dan];
              [dah[j], dah[H + j], dah[2 * H + j]] = [dar, daz, dan * r];
              direct[j] = dhj * z;
            }
          }
          const d_ = dW[k];
          for (let q = 0; q < G * H; q++) {
            for (let m = 0; m < inF; m++) d_.Wih[q * inF + m] += dai[q] * input[(n * T + t) * inF + m];
            for (let m = 0; m < H; m++) d_.Whh[q * H + m] += dah[q] * hs[prev + m];
            if (d_.bih) d_.bih[q] += dai[q];
            if (d_.bhh) d_.bhh[q] += dah[q];
          }
          if (dIn)
            for (let m = 0; m < inF; m++) {
              let sum = 0;
              for (let q = 0; q < G * H; q++) sum += Wih[q * inF + m] * dai[q];
              dIn[(n * T + t) * inF + m] += sum;
            }
          for (let m = 0; m < H; m++) {
            let sum = direct[m];
            for (let q = 0; q < G * H; q++) sum += Whh[q * H + m] * dah[q];
            dh[m] = sum;
          }
        }
        if (dh0) for (let j = 0; j < H; j++) dh0[n * H + j] += dh[j];
        if (dc0 && kind === 'lstm') for (let j = 0; j < H; j++) dc0[n * H + j] += dc[j];
      }
    }
    if (l > 0) dOut = dIn!;
  }
}`,
  bmmInto: `/** out[b] += α · op(A[b]) · op(B[b]) for \`batch\` matrices: op(A) is M×K (Aᵀ stored when tA), op(B) is K×Nc (Bᵀ stored when tB). */
function bmmInto(A: Float64Array, B: Float64Array, batch: number, M: number, K: number, Nc: number, tA: boolean, tB: boolean, alpha: number, out: Float64Array): void {
  for (let b = 0; b < batch; b++) {
    const [a0, b0, o0] = [b * M * K, b * K * Nc, b * M * Nc];
    for (let m = 0; m < M; m++)
      for (let n = 0; n < Nc; n++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += A[a0 + (tA ? k * M + m : m * K + k)] * B[b0 + (tB ? n * K + k : k * Nc + n)];
        out[o0 + m * Nc + n] += alpha * s;
      }
  }
}`,
  causalMask: `/** Scores of a causal mask: query i may look at keys 0…i only, the others become −∞ (weight 0 after the softmax). */
function causalMask(S: Float64Array, batch: number, Lq: number, Lk: number): void {
  for (let b = 0; b < batch; b++) for (let i = 0; i < Lq; i++) for (let j = i + 1; j < Lk; j++) S[(b * Lq + i) * Lk + j] = -Infinity;
}`,
  additiveFeatures: `/** f[n,i,j,:] = tanh(q̃[n,i,:] + k̃[n,j,:]): every query–key pair's hidden features (q̃ = W_q q, k̃ = W_k k). */
function additiveFeatures(qh: Float64Array, kh: Float64Array, N: number, Lq: number, Lk: number, H: number): Float64Array {
  const f = new Float64Array(N * Lq * Lk * H);
  for (let n = 0; n < N; n++)
    for (let i = 0; i < Lq; i++)
      for (let j = 0; j < Lk; j++)
        for (let h = 0; h < H; h++) f[((n * Lq + i) * Lk + j) * H + h] = Math.tanh(qh[(n * Lq + i) * H + h] + kh[(n * Lk + j) * H + h]);
  return f;
}`,
  additiveBackward: `/** ∂L/∂q̃[n,i] += Σ_j ∂L/∂a[n,i,j] and ∂L/∂k̃[n,j] += Σ_i ∂L/∂a[n,i,j] (a = q̃_i + k̃_j, before the tanh). */
function additiveBackward(da: Float64Array, N: number, Lq: number, Lk: number, H: number, dqh: Float64Array, dkh: Float64Array): void {
  for (let n = 0; n < N; n++)
    for (let i = 0; i < Lq; i++)
      for (let j = 0; j < Lk; j++)
        for (let h = 0; h < H; h++) {
          const g = da[((n * Lq + i) * Lk + j) * H + h];
          dqh[(n * Lq + i) * H + h] += g;
          dkh[(n * Lk + j) * H + h] += g;
        }
}`,
  splitHeads: `/** N×L×(heads·d) → N×heads×L×d: each head's slice of the features, as its own sequence. */
function splitHeads(x: Float64Array, N: number, L: number, heads: number, d: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let n = 0; n < N; n++)
    for (let l = 0; l < L; l++)
      for (let h = 0; h < heads; h++)
        for (let c = 0; c < d; c++) y[((n * heads + h) * L + l) * d + c] = x[((n * L + l) * heads + h) * d + c];
  return y;
}`,
  mergeHeads: `/** N×heads×L×d → N×L×(heads·d), scaled by s: the heads side by side again (splitHeads undone). */
function mergeHeads(y: Float64Array, N: number, L: number, heads: number, d: number, s: number): Float64Array {
  const x = new Float64Array(y.length);
  for (let n = 0; n < N; n++)
    for (let l = 0; l < L; l++)
      for (let h = 0; h < heads; h++)
        for (let c = 0; c < d; c++) x[((n * L + l) * heads + h) * d + c] = s * y[((n * heads + h) * L + l) * d + c];
  return x;
}`,
  headMean: `/** ᾱ[n] = (1/heads) Σ_h α[n,h]: the attention weights averaged over the heads. */
function headMean(w: Float64Array, N: number, heads: number, LS: number): Float64Array {
  const m = new Float64Array(N * LS);
  for (let n = 0; n < N; n++) for (let h = 0; h < heads; h++) for (let k = 0; k < LS; k++) m[n * LS + k] += w[(n * heads + h) * LS + k] / heads;
  return m;
}`,
  headMeanBackward: `/** ∂L/∂α[n,h] += ∂L/∂ᾱ[n] / heads. */
function headMeanBackward(dm: Float64Array, N: number, heads: number, LS: number, dw: Float64Array): void {
  for (let n = 0; n < N; n++) for (let h = 0; h < heads; h++) for (let k = 0; k < LS; k++) dw[(n * heads + h) * LS + k] += dm[n * LS + k] / heads;
}`,
  unaryForward: `/** z = f(x) elementwise, f one of eˣ, log x, √x, |x|, xᵖ, log(1 + eˣ) (p is used by xᵖ only). */
type UnaryOp = 'exp' | 'log' | 'sqrt' | 'abs' | 'pow' | 'softplus';
function unaryForward(op: UnaryOp, x: Float64Array, p: number): Float64Array {
  switch (op) {
    case 'exp': return x.map((v) => Math.exp(v));
    case 'log': return x.map((v) => Math.log(v));
    case 'sqrt': return x.map((v) => Math.sqrt(v));
    case 'abs': return x.map((v) => Math.abs(v));
    case 'pow': return x.map((v) => Math.pow(v, p));
    case 'softplus': return x.map((v) => softplus(v));
  }
}
/** ∂L/∂x += ∂L/∂z ⊙ f′(x): eˣ = z, 1/x, 1/(2√x) = 1/(2z), sign(x) (0 at 0, as PyTorch), p·xᵖ⁻¹, σ(x). */
function unaryBackward(op: UnaryOp, x: Float64Array, z: Float64Array, dz: Float64Array, p: number, dx: Float64Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    let s: number;
    if (op === 'exp') s = z[i];
    else if (op === 'log') s = 1 / v;
    else if (op === 'sqrt') s = 1 / (2 * z[i]);
    else if (op === 'abs') s = Math.sign(v);
    else if (op === 'pow') s = p === 0 ? 0 : p === 1 ? 1 : p === 2 ? 2 * v : Math.pow(v, p - 1) * p;
    else s = 1 / (1 + Math.exp(-v));
    dx[i] += dz[i] * s;
  }
}`,
  scaleInto: `/** z = s·x, elementwise. */
function scaleInto(x: Float64Array, s: number): Float64Array {
  return x.map((v) => s * v);
}`,
} as const;

export type KernelName = keyof typeof KERNELS;

/** Kernels that call other kernels. */
const NEEDS: Partial<Record<KernelName, readonly KernelName[]>> = {
  binaryForward: ['broadcastAt'],
  unaryForward: ['softplus'],
  elementwiseLoss: ['softplus'],
  conv2dForward: ['conv2dShape'],
  pool2dForward: ['conv2dShape'],
  avgPool2dBackward: ['conv2dShape'],
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
