import raw from './coreParity.json';

/** The PyTorch reference data written by scripts/parity/engine_core.py (see that script). */
export interface CoreParity {
  torch: string;
  linearInit: {
    in: number;
    out: number;
    weightBound: number;
    biasBound: number;
    weightMaxAbs: number;
    biasMaxAbs: number;
    weightShape: number[];
    biasShape: number[];
  }[];
  losses: {
    name: string;
    reduction: 'mean' | 'sum';
    input: number[];
    shape: number[];
    target: number[];
    loss: number;
    grad: number[];
    margin?: number;
    ignoreIndex?: number;
  }[];
  optimizers: {
    name: string;
    type: 'SGD' | 'Adam' | 'AdamW';
    options: Record<string, number | boolean | number[]>;
    init: number[];
    grads: number[][];
    params: number[][];
  }[];
}

export const CORE_PARITY = raw as unknown as CoreParity;
