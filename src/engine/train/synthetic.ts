import { Rng } from '../tensor/rng';
import type { Dataset } from './dataset';

/**
 * Synthetic course data sets, each generated from a seed (same seed → same set everywhere).
 * Class labels are 0..K−1; 2-D sets have featureShape [2].
 */

function classification(name: string, pts: number[][], labels: number[], numClasses: number): Dataset {
  return {
    name,
    task: 'classification',
    n: pts.length,
    featureShape: [pts[0]?.length ?? 2],
    x: Float64Array.from(pts.flat()),
    targetShape: [],
    y: Float64Array.from(labels),
    numClasses,
  };
}

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${what}: the number of samples must be a positive integer, got ${n}.`);
}

export interface BlobsOptions {
  seed?: number;
  classes?: number;
  /** Standard deviation of each blob (default 0.5). */
  std?: number;
  /** Distance of the blob centres from the origin (default 2). */
  spread?: number;
}

/**
 * Gaussian blobs around centres on a circle of radius `spread` (class k at angle 2πk/K);
 * with the defaults (2 classes, std 0.5, spread 2) they are linearly separable.
 *
 * @example
 * const ds = blobs(200, { seed: 1 });
 */
export function blobs(n: number, opts: BlobsOptions = {}): Dataset {
  checkCount(n, 'blobs');
  const rng = new Rng(opts.seed ?? 0);
  const k = opts.classes ?? 2;
  const std = opts.std ?? 0.5;
  const spread = opts.spread ?? 2;
  const pts: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % k;
    const a = (2 * Math.PI * c) / k;
    pts.push([spread * Math.cos(a) + rng.normal(0, std), spread * Math.sin(a) + rng.normal(0, std)]);
    labels.push(c);
  }
  // NOTE: with a large std blobs can overlap; linearlySeparable() guarantees a margin.
  return classification('blobs', pts, labels, k);
}

/**
 * Two linearly separable classes: points uniform in [−1, 1]², label 1 above the line
 * w·x + b = 0 (w and b drawn from the seed), with every point at least `margin` from it.
 *
 * @example
 * const ds = linearlySeparable(100, { seed: 3, margin: 0.1 });
 */
export function linearlySeparable(n: number, opts: { seed?: number; margin?: number } = {}): Dataset {
  checkCount(n, 'linearlySeparable');
  const rng = new Rng(opts.seed ?? 0);
  const margin = opts.margin ?? 0.1;
  const angle = rng.uniform(0, 2 * Math.PI);
  const w = [Math.cos(angle), Math.sin(angle)];
  const b = rng.uniform(-0.3, 0.3);
  const pts: number[][] = [];
  const labels: number[] = [];
  while (pts.length < n) {
    const p = [rng.uniform(-1, 1), rng.uniform(-1, 1)];
    const s = w[0] * p[0] + w[1] * p[1] + b;
    if (Math.abs(s) < margin) continue;
    pts.push(p);
    labels.push(s > 0 ? 1 : 0);
  }
  return classification('linearlySeparable', pts, labels, 2);
}

/**
 * XOR: points around the four corners (±1, ±1) with Gaussian noise `noise` (default 0.1);
 * label 1 when the signs of the corner differ. n = 4 with noise 0 is the truth table.
 *
 * @example
 * const ds = xor(4, { noise: 0 });   // (−1,−1)→0, (1,−1)→1, (−1,1)→1, (1,1)→0
 */
export function xor(n: number, opts: { seed?: number; noise?: number } = {}): Dataset {
  checkCount(n, 'xor');
  const rng = new Rng(opts.seed ?? 0);
  const noise = opts.noise ?? 0.1;
  const corners = [
    [-1, -1],
    [1, -1],
    [-1, 1],
    [1, 1],
  ];
  const pts: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = corners[i % 4];
    pts.push([c[0] + (noise > 0 ? rng.normal(0, noise) : 0), c[1] + (noise > 0 ? rng.normal(0, noise) : 0)]);
    labels.push(c[0] !== c[1] ? 1 : 0);
  }
  return classification('xor', pts, labels, 2);
}

/**
 * Two concentric circles (sklearn make_circles): outer radius 1 (class 0), inner radius
 * `factor` (class 1, default 0.5), angles uniform, Gaussian noise `noise` (default 0.05).
 *
 * @example
 * const ds = circles(200, { seed: 2 });
 */
export function circles(n: number, opts: { seed?: number; noise?: number; factor?: number } = {}): Dataset {
  checkCount(n, 'circles');
  const rng = new Rng(opts.seed ?? 0);
  const noise = opts.noise ?? 0.05;
  const factor = opts.factor ?? 0.5;
  const pts: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const r = c === 0 ? 1 : factor;
    const a = rng.uniform(0, 2 * Math.PI);
    pts.push([r * Math.cos(a) + rng.normal(0, noise), r * Math.sin(a) + rng.normal(0, noise)]);
    labels.push(c);
  }
  return classification('circles', pts, labels, 2);
}

/**
 * Two interleaving half moons (sklearn make_moons): class 0 on (cos t, sin t), class 1 on
 * (1 − cos t, 0.5 − sin t), t uniform in [0, π], Gaussian noise `noise` (default 0.1).
 *
 * @example
 * const ds = moons(200, { seed: 4 });
 */
export function moons(n: number, opts: { seed?: number; noise?: number } = {}): Dataset {
  checkCount(n, 'moons');
  const rng = new Rng(opts.seed ?? 0);
  const noise = opts.noise ?? 0.1;
  const pts: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const t = rng.uniform(0, Math.PI);
    const p = c === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    pts.push([p[0] + rng.normal(0, noise), p[1] + rng.normal(0, noise)]);
    labels.push(c);
  }
  return classification('moons', pts, labels, 2);
}

/**
 * Interleaved spirals (the CS231n construction): class k has n/K points with radius r
 * running 0 → 1 and angle θ = 4k + 4r·(K=2 ? 1.75 : 1) + N(0, noise²), point r·(sin θ, cos θ).
 * Defaults: 3 classes, noise 0.2.
 *
 * @example
 * const ds = spirals(300, { classes: 3, seed: 0 });
 */
export function spirals(n: number, opts: { seed?: number; classes?: 2 | 3; noise?: number } = {}): Dataset {
  checkCount(n, 'spirals');
  const rng = new Rng(opts.seed ?? 0);
  const k = opts.classes ?? 3;
  if (k !== 2 && k !== 3) throw new Error(`spirals: classes must be 2 or 3, got ${String(k)}.`);
  const noise = opts.noise ?? 0.2;
  const turns = k === 2 ? 7 : 4;
  const pts: number[][] = [];
  const labels: number[] = [];
  const per = Math.ceil(n / k);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < per && pts.length < n; i++) {
      const r = per === 1 ? 1 : i / (per - 1);
      const theta = (k === 2 ? c * Math.PI : c * 4) + turns * r + rng.normal(0, noise);
      pts.push([r * Math.sin(theta), r * Math.cos(theta)]);
      labels.push(c);
    }
  }
  return classification(`spirals${k}`, pts, labels, k);
}

/**
 * Regression on y = sin(x) + N(0, noise²), x uniform in [−π, π]. A fraction `outliers`
 * (default 0) of the targets get an extra ±U(2, 4), or +U(2, 4) with `outlierSide: 'above'`
 * (one-sided outliers pull a squared-error fit off the curve; an absolute-error fit stays on it).
 *
 * @example
 * const ds = noisySine(100, { seed: 1, noise: 0.1, outliers: 0.1 });
 */
export function noisySine(
  n: number,
  opts: { seed?: number; noise?: number; outliers?: number; outlierSide?: 'both' | 'above' } = {},
): Dataset {
  checkCount(n, 'noisySine');
  const rng = new Rng(opts.seed ?? 0);
  const noise = opts.noise ?? 0.1;
  const frac = opts.outliers ?? 0;
  if (!(frac >= 0 && frac <= 1)) throw new Error(`noisySine: outliers must be a fraction in [0, 1], got ${frac}.`);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.uniform(-Math.PI, Math.PI);
    y[i] = Math.sin(x[i]) + rng.normal(0, noise);
    if (rng.next() < frac) {
      const side = rng.next() < 0.5 ? -1 : 1;
      y[i] += (opts.outlierSide === 'above' ? 1 : side) * rng.uniform(2, 4);
    }
  }
  return { name: 'noisySine', task: 'regression', n, featureShape: [1], x, targetShape: [1], y };
}

/**
 * Random bit sequences of length `length`, featureShape [length, 1] (time × features):
 * 'parity' labels the XOR of the bits (2 classes), 'counting' the number of ones
 * (length + 1 classes).
 *
 * @example
 * const ds = bitSequences(500, { length: 8, task: 'parity', seed: 0 });
 */
export function bitSequences(
  n: number,
  opts: { seed?: number; length?: number; task?: 'parity' | 'counting' } = {},
): Dataset {
  checkCount(n, 'bitSequences');
  const rng = new Rng(opts.seed ?? 0);
  const len = opts.length ?? 8;
  if (!Number.isInteger(len) || len < 1)
    throw new Error(`bitSequences: length must be a positive integer, got ${len}.`);
  const task = opts.task ?? 'parity';
  const x = new Float64Array(n * len);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let ones = 0;
    for (let t = 0; t < len; t++) {
      const b = rng.nextUint32() & 1;
      x[i * len + t] = b;
      ones += b;
    }
    y[i] = task === 'parity' ? ones % 2 : ones;
  }
  return {
    name: `bits-${task}`,
    task: 'classification',
    n,
    featureShape: [len, 1],
    x,
    targetShape: [],
    y,
    numClasses: task === 'parity' ? 2 : len + 1,
  };
}
