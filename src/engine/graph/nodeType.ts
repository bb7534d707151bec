import type { z } from 'zod';
import type { NodeEmitters } from './emit';
import type { Shape } from './shape';

/**
 * What flows along an edge. Float tensors are `tensor` (N×…) or `sequence` (N×T×F, batch first);
 * `indices` are integer token ids for an Embedding; the four label kinds are what a Target node
 * produces and what a loss's target port asks for.
 */
export type PortKind =
  'tensor' | 'sequence' | 'indices' | 'class-labels' | 'pm1-labels' | 'binary-labels' | 'real-targets';

export const PORT_KINDS: readonly PortKind[] = [
  'tensor',
  'sequence',
  'indices',
  'class-labels',
  'pm1-labels',
  'binary-labels',
  'real-targets',
];

/** Plain-words names of the port kinds, for messages and handle tooltips. */
export const PORT_KIND_LABELS: Readonly<Record<PortKind, string>> = {
  tensor: 'a tensor',
  sequence: 'a sequence',
  indices: 'token indices',
  'class-labels': 'class labels',
  'pm1-labels': '±1 labels',
  'binary-labels': '0/1 labels',
  'real-targets': 'real targets',
};

export const LABEL_KINDS: readonly PortKind[] = ['class-labels', 'pm1-labels', 'binary-labels', 'real-targets'];

/** What a port means to the node, shown next to its handle. */
export type PortRole = 'input' | 'target' | 'query' | 'key' | 'value' | 'hidden' | 'cell' | 'output' | 'weights';

export interface InputPortDef {
  readonly name: string;
  readonly label: string;
  readonly role: PortRole;
  readonly accepts: readonly PortKind[];
  readonly required: boolean;
  readonly help?: string;
}

export interface OutputPortDef {
  readonly name: string;
  readonly label: string;
  readonly role: PortRole;
  /** The kind this port produces; `'dynamic'` means inference decides (the input's kind, or a parameter). */
  readonly kind: PortKind | 'dynamic';
  readonly help?: string;
}

/** The type of the value on an edge: its shape (batch as -1) and its kind. */
export interface TensorType {
  readonly shape: Shape;
  readonly kind: PortKind;
}

export type NodeFamily = 'Data' | 'Layers' | 'Activations' | 'Losses' | 'Prediction';

export const NODE_FAMILIES: readonly NodeFamily[] = ['Data', 'Layers', 'Activations', 'Losses', 'Prediction'];

/**
 * How the inspector draws a parameter; `dims` is a list of dimension indices (a permutation),
 * `code` a custom node's source (its own editor), `derived` a value the app computes (not drawn).
 */
export type ParamControl = 'int' | 'float' | 'bool' | 'enum' | 'shape' | 'dims' | 'code' | 'derived';

export interface ParamFieldMeta {
  readonly name: string;
  readonly label: string;
  readonly help: string;
  readonly control: ParamControl;
  readonly default: unknown;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  /** `null` is allowed and means "inferred from the input" (e.g. Linear's in_features). */
  readonly auto?: boolean;
}

export interface ParamField<T> {
  readonly schema: z.ZodType<T>;
  readonly meta: Omit<ParamFieldMeta, 'name'>;
}

export interface ParamSpec<P> {
  readonly fields: readonly (ParamFieldMeta & { readonly schema: z.ZodType<unknown> })[];
  readonly defaults: P;
  /** The whole parameter object: missing fields take their defaults, unknown ones are refused. */
  readonly schema: z.ZodType<P>;
}

export type InputTypes = Readonly<Record<string, TensorType | undefined>>;

export interface InferContext<P> {
  readonly params: P;
  /** The type arriving on each input port; undefined when the port is not connected. */
  readonly inputs: InputTypes;
}

/** Inference either gives every output port a type or says, in plain words, what is wrong. */
export type InferResult =
  | { readonly ok: true; readonly outputs: Readonly<Record<string, TensorType>> }
  | { readonly ok: false; readonly message: string; readonly port?: string };

export interface FormulaContext<P> extends InferContext<P> {
  /** The inferred outputs, when inference succeeded. */
  readonly outputs?: Readonly<Record<string, TensorType>>;
}

/**
 * One node type. The registry holds exactly one per type id; everything the editor, the
 * validator and code generation need to know about a node type lives here, in its family's
 * file (graph/registry/<family>.ts). How to build the engine module lives in the runtime's
 * builder file of the same family, typed from this definition (`ParamsOf<typeof conv2dNode>`),
 * never here: this file is imported by the renderer, which must not load the engine.
 */
export interface NodeTypeDef<P = Record<string, unknown>, T extends string = string> {
  readonly type: T;
  readonly title: string;
  readonly family: NodeFamily;
  /** One sentence for the palette tooltip. */
  readonly description: string;
  readonly inputs: readonly InputPortDef[];
  readonly outputs: readonly OutputPortDef[];
  readonly params: ParamSpec<P>;
  /** False for prediction functions (sign, threshold, argmax) that pass no gradient. */
  readonly differentiable: boolean;
  readonly infer: (ctx: InferContext<P>) => InferResult;
  /**
   * How many trainable numbers the node holds, from its parameters and input types (called after
   * `infer` succeeded); absent for a node without weights. Validation refuses a network whose
   * weights and activations would not fit in memory before anything is allocated (graph/memory.ts).
   */
  readonly parameters?: (params: P, inputs: InputTypes) => number;
  /** LaTeX, with the actual shapes where they are known. */
  readonly formula: (ctx: FormulaContext<P>) => string;
  /** One line for the node face, e.g. "2 → 8, bias". */
  readonly summary: (params: P, inputs: InputTypes) => string;
  /** Its code in every language code generation targets (graph/emit.ts), one field per language. */
  readonly emit: NodeEmitters<P>;
}

export type AnyNodeTypeDef = NodeTypeDef<Record<string, unknown>>;

declare const paramsOf: unique symbol;

/**
 * A definition as the registry holds it (parameters erased), still carrying its type id and,
 * for the type checker only, its parameter type: builders are typed from it with `ParamsOf`.
 */
export type TypedNodeTypeDef<P, T extends string = string> = AnyNodeTypeDef & {
  readonly type: T;
  readonly [paramsOf]?: (params: P) => void;
};

/** The parameter type of a definition: `ParamsOf<typeof conv2dNode>`. */
export type ParamsOf<D> = D extends { readonly [paramsOf]?: (params: infer P) => void } ? P : never;

/** Type-checks a definition against its own parameter type, then erases it for the registry. */
export function defineNodeType<P, const T extends string = string>(def: NodeTypeDef<P, T>): TypedNodeTypeDef<P, T> {
  return def as unknown as TypedNodeTypeDef<P, T>;
}
