import type { Module } from '../../nn/module';
import type { DType } from '../../tensor/dtype';
import type { Rng } from '../../tensor/rng';
import type { Tensor } from '../../tensor/tensor';
import type { InputTypes, TensorType } from '../nodeType';

/** What a builder knows when it builds a node's engine code: the validated parameters and types. */
export interface BuildContext<P = Record<string, unknown>> {
  readonly nodeId: string;
  readonly params: P;
  readonly inputs: InputTypes;
  readonly outputs: Readonly<Record<string, TensorType>>;
  /** The model's initialisation generator, consumed node by node in evaluation order. */
  readonly rng: Rng;
  readonly dtype: DType;
}

/**
 * A node ready to run. `module` (when the node has parameters or state) is registered on the
 * model under the node id, so its parameters are named `<nodeId>.<torchName>`.
 */
export interface NodeRuntime {
  readonly module?: Module;
  /** Computes the node's outputs (a loss returns `{ loss }`) from its connected inputs. */
  forward(inputs: Readonly<Record<string, Tensor>>, training: boolean): Record<string, Tensor>;
}

export type NodeBuilder<P = Record<string, unknown>> = (ctx: BuildContext<P>) => NodeRuntime;

/** Type-checks a builder against its node's parameter type, then erases it for the table. */
export function defineBuilder<P>(b: NodeBuilder<P>): NodeBuilder {
  return b as unknown as NodeBuilder;
}
