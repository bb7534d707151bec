import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { matmul } from '../matmul';
import { sum } from '../reduce';

/** C = op(A)·op(B): dA and dB are matmuls of dy with the other operand (transposes chosen per case); a 2-D operand shared by a batch sums its gradient over the batch. */
export const matMulGradConfig: GradConfig = {
  kernelName: 'MatMul',
  inputsToSave: [0, 1],
  gradFunc: ([dy], { inputs: [a, b], attrs }) => {
    const A = a as Tensor;
    const B = b as Tensor;
    const ta = attrs.transposeA === true;
    const tb = attrs.transposeB === true;
    let da: Tensor;
    let db: Tensor;
    if (!ta && !tb) {
      da = matmul(dy, B, false, true);
      db = matmul(A, dy, true, false);
    } else if (!ta && tb) {
      da = matmul(dy, B, false, false);
      db = matmul(dy, A, true, false);
    } else if (ta && !tb) {
      da = matmul(B, dy, false, true);
      db = matmul(A, dy, false, false);
    } else {
      da = matmul(B, dy, true, true);
      db = matmul(dy, A, true, true);
    }
    return [reduceLeading(da, A.rank), reduceLeading(db, B.rank)];
  },
};

function reduceLeading(g: Tensor, rank: number): Tensor {
  if (g.rank === rank) return g;
  return sum(
    g,
    Array.from({ length: g.rank - rank }, (_, i) => i),
  );
}
