import type { Module } from '../nn/module';
import type { DType } from '../tensor/dtype';
import type { Rng } from '../tensor/rng';
import type { Tensor } from '../tensor/tensor';
import type { InputTypes, ParamsOf, TensorType, TypedNodeTypeDef } from '../graph/nodeType';

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

/**
 * The builders of one family, typed from its definitions: one per type id of the family, each
 * receiving its definition's parameters (`ParamsOf<typeof conv2dNode>`). A missing or misspelt
 * type id, or a parameter the definition does not have, is a compile error.
 */
export type BuildersOf<Defs extends readonly TypedNodeTypeDef<never>[]> = {
  readonly [D in Defs[number] as D['type']]: NodeBuilder<ParamsOf<D>>;
};

/** A family's builders, checked against its definitions, erased for the compiler's lookup. */
export function defineBuilders<const Defs extends readonly TypedNodeTypeDef<never>[]>(
  _defs: Defs,
  builders: NoInfer<BuildersOf<Defs>>,
): Readonly<Record<string, NodeBuilder>> {
  return builders as unknown as Readonly<Record<string, NodeBuilder>>;
}
