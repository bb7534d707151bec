import type { Tensor } from '../tensor/tensor';

/**
 * Fraction of equal entries between predicted and true labels (class indices, 0/1 or ±1).
 *
 * @example
 * accuracy(predictArgmax(logits), y);   // 0..1
 */
export function accuracy(pred: Tensor | ArrayLike<number>, target: Tensor | ArrayLike<number>): number {
  const p = 'data' in pred ? (pred as Tensor).toArray() : Array.from(pred as ArrayLike<number>);
  const t = 'data' in target ? (target as Tensor).toArray() : Array.from(target as ArrayLike<number>);
  if (p.length !== t.length) throw new Error(`accuracy: ${p.length} predictions for ${t.length} targets.`);
  if (p.length === 0) return 0;
  let ok = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === t[i]) ok++;
  return ok / p.length;
}

/**
 * Confusion matrix m[true][predicted] of counts for classes 0..k−1.
 *
 * @example
 * confusionMatrix([0, 1, 1], [0, 1, 0], 2);   // [[1, 1], [0, 1]]
 */
export function confusionMatrix(
  pred: Tensor | ArrayLike<number>,
  target: Tensor | ArrayLike<number>,
  numClasses: number,
): number[][] {
  const p = 'data' in pred ? (pred as Tensor).toArray() : Array.from(pred as ArrayLike<number>);
  const t = 'data' in target ? (target as Tensor).toArray() : Array.from(target as ArrayLike<number>);
  if (p.length !== t.length) throw new Error(`confusionMatrix: ${p.length} predictions for ${t.length} targets.`);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < p.length; i++) {
    const a = t[i];
    const b = p[i];
    if (!Number.isInteger(a) || a < 0 || a >= numClasses || !Number.isInteger(b) || b < 0 || b >= numClasses) {
      throw new Error(`confusionMatrix: sample ${i} has target ${a} / prediction ${b} outside 0..${numClasses - 1}.`);
    }
    m[a][b]++;
  }
  return m;
}

/**
 * Running mean of per-batch losses weighted by batch size (the epoch's mean loss).
 *
 * @example
 * const m = new MeanMetric(); m.add(loss.item(), batchSize); m.value;
 */
export class MeanMetric {
  private total = 0;
  private count = 0;

  add(value: number, weight = 1): void {
    this.total += value * weight;
    this.count += weight;
  }

  get value(): number {
    return this.count === 0 ? NaN : this.total / this.count;
  }

  reset(): void {
    this.total = 0;
    this.count = 0;
  }
}
