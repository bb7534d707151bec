import type { TypedArray } from '../tensor/dtype';

/** Elementwise unary operations. `param` is the exponent for 'pow' and the slope for 'leakyRelu'. */
export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'abs'
  | 'sign'
  | 'pow'
  | 'relu'
  | 'leakyRelu'
  | 'sigmoid'
  | 'tanh'
  | 'softplus'
  | 'copy';

/** out[i] = f(x[i]) for i < n. */
export function unaryImpl(op: UnaryOp, x: TypedArray, out: TypedArray, n: number, param = 0): void {
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i];
      return;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      return;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
      return;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]);
      return;
    case 'sign':
      // NOTE: sign(0) = 0 (torch.sign), which also makes abs'(0) = 0 as in PyTorch.
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? 1 : x[i] < 0 ? -1 : 0;
      return;
    case 'pow':
      if (param === 2) for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
      else for (let i = 0; i < n; i++) out[i] = Math.pow(x[i], param);
      return;
    case 'relu':
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : 0;
      return;
    case 'leakyRelu':
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : param * x[i];
      return;
    case 'sigmoid':
      // NOTE: two branches so exp never overflows: for x < 0 use e^x / (1 + e^x).
      for (let i = 0; i < n; i++) {
        const v = x[i];
        if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v);
          out[i] = e / (1 + e);
        }
      }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
      return;
    case 'softplus':
      // NOTE: log(1 + e^x) = max(x, 0) + log1p(e^−|x|): never overflows, exact for large |x|.
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
      }
      return;
    case 'copy':
      for (let i = 0; i < n; i++) out[i] = x[i];
      return;
  }
}

/** Naive twin (tests only): the textbook formula per element. */
export function unaryNaive(op: UnaryOp, x: ArrayLike<number>, param = 0): number[] {
  const f = (v: number): number => {
    switch (op) {
      case 'neg':
        return -v;
      case 'exp':
        return Math.exp(v);
      case 'log':
        return Math.log(v);
      case 'sqrt':
        return Math.sqrt(v);
      case 'abs':
        return Math.abs(v);
      case 'sign':
        return Math.sign(v) + 0;
      case 'pow':
        return Math.pow(v, param);
      case 'relu':
        return Math.max(v, 0);
      case 'leakyRelu':
        return v > 0 ? v : param * v;
      case 'sigmoid':
        return 1 / (1 + Math.exp(-v));
      case 'tanh':
        return (Math.exp(v) - Math.exp(-v)) / (Math.exp(v) + Math.exp(-v));
      case 'softplus':
        return Math.log(1 + Math.exp(v));
      case 'copy':
        return v;
    }
  };
  return Array.from(x, f);
}
