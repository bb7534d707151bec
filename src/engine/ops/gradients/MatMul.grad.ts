import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { matmul } from '../matmul';
import { sum } from '../reduce';

/** C = op(A)·op(B): dA and dB are matmuls of dy with the other operand (transposes chosen per case); a 2-D operand shared by a batch sums its gradient over the batch. */
export const matMulGradConfig: GradConfig = {
  kernelName: 'MatMul',
  inputsToSave: [0, 1],
  gradFunc: ([dy], { inputs: [a, b], attrs, needsInputGrad }) => {
    const A = a as Tensor;
    const B = b as Tensor;
    const ta = attrs.transposeA === true;
    const tb = attrs.transposeB === true;
    // Only the operands that need a gradient get one (e.g. not the input batch of a Linear).
    const needA = needsInputGrad[0];
    const needB = needsInputGrad[1];
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (!ta && !tb) {
      if (needA) da = matmul(dy, B, false, true);
      if (needB) db = matmul(A, dy, true, false);
    } else if (!ta && tb) {
      if (needA) da = matmul(dy, B, false, false);
      if (needB) db = matmul(dy, A, true, false);
    } else if (ta && !tb) {
      if (needA) da = matmul(B, dy, false, true);
      if (needB) db = matmul(A, dy, false, false);
    } else {
      if (needA) da = matmul(B, dy, true, true);
      if (needB) db = matmul(dy, A, true, true);
    }
    return [da === null ? null : reduceLeading(da, A.rank), db === null ? null : reduceLeading(db, B.rank)];
  },
};

function reduceLeading(g: Tensor, rank: number): Tensor {
  if (g.rank === rank) return g;
  return sum(
    g,
    Array.from({ length: g.rank - rank }, (_, i) => i),
  );
}
