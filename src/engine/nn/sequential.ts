import type { Tensor } from '../tensor/tensor';
import type { UnaryModule } from './module';
import { Module } from './module';

/**
 * Runs modules in order; sub-modules are named "0", "1", … as in torch.nn.Sequential.
 *
 * @example
 * const mlp = new Sequential(new Linear(2, 8, rng), new Tanh(), new Linear(8, 1, rng));
 * mlp.namedParameters().map(([n]) => n);   // ['0.weight', '0.bias', '2.weight', '2.bias']
 */
export class Sequential extends Module {
  readonly layers: readonly UnaryModule[];

  constructor(...layers: UnaryModule[]) {
    super();
    this.layers = layers;
    layers.forEach((m, i) => this.registerModule(String(i), m));
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (const m of this.layers) h = m.forward(h);
    return h;
  }
}
