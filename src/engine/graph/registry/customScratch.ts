import type { CustomSignature, CustomTraceArg } from '../customApi';
import type { EmitContext, EmitResult } from '../emit';
import type { KernelName } from './scratch';
import { around, grad, kernels, output, param, scratch, shapeOf, sizeOf } from './scratch';

/*
 * A custom node from scratch: the ops its code called (the kept trace), each written with the
 * kernels other node types use for the same math (binaryForward for + − · /, bmmInto for matmul,
 * tanhForward, sigmoidForward, softmaxForward, reduceForward, permuteIndex …), in trace order;
 * the backward lines are the same steps in reverse, one chain-rule step each. Shapes are worked
 * out here from the node's input and parameter shapes (−1 is the batch, written `N`).
 */

type Shape = readonly number[];

/** A value of the trace in the generated code: its variable, its gradient array (if one flows), its shape. */
interface Value {
  readonly v: string;
  readonly d: string | undefined;
  readonly shape: Shape;
}

/** Why a traced op cannot be written from scratch (the export names the node and gives it). */
class Unwritable extends Error {}

const isShapeArg = (a: CustomTraceArg): a is readonly (number | 'N')[] => Array.isArray(a);
const isTensorArg = (a: CustomTraceArg): a is { readonly t: number } =>
  typeof a === 'object' && a !== null && !Array.isArray(a);

const norm = (d: number, rank: number): number => (d < 0 ? d + rank : d);

function broadcast(a: Shape, b: Shape): number[] {
  const out: number[] = [];
  for (let i = 1; i <= Math.max(a.length, b.length); i++) {
    const [x, y] = [a[a.length - i] ?? 1, b[b.length - i] ?? 1];
    if (x !== y && x !== 1 && y !== 1) throw new Unwritable(`shapes ${shapeOf(a)} and ${shapeOf(b)} do not broadcast`);
    out.unshift(x === 1 ? y : x);
  }
  return out;
}

/** reshape's target with its −1 worked out (a batch-sized dimension stays −1, i.e. N). */
function reshaped(from: Shape, to: readonly (number | 'N')[]): number[] {
  const known = (s: readonly (number | 'N')[]) =>
    s.filter((d): d is number => d !== 'N' && d !== -1).reduce((p, d) => p * d, 1);
  const [fromBatch, toBatch] = [from.includes(-1), to.includes('N')];
  const have = from.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  return to.map((d) => {
    if (d === 'N') return -1;
    if (d !== -1) return d;
    const k = have / known(to);
    if (fromBatch === toBatch) return k;
    if (fromBatch && k === 1) return -1;
    throw new Unwritable(`reshape to ${JSON.stringify(to)} mixes the batch into another dimension`);
  });
}

export function customScratch(ctx: EmitContext<unknown>, sig: CustomSignature): EmitResult {
  const { z, dz } = output(ctx);
  const values = new Map<number, Value>();
  for (const [port, id] of Object.entries(sig.trace.inputs)) {
    const t = ctx.inputTypes[port];
    if (t === undefined) throw new Unwritable(`its input ${port} is not connected`);
    values.set(id, { v: ctx.inputs[port]!, d: ctx.gradInputs?.[port], shape: t.shape });
  }
  for (const [p, id] of Object.entries(sig.trace.params))
    values.set(id, { v: param(ctx, p), d: grad(ctx, p), shape: sig.params[p]! });

  const used = new Set<KernelName>();
  const forward: string[] = [];
  /** Backward lines per step, written in step order and emitted last step first. */
  const backSteps: string[][] = [];
  const scratchGrads: string[] = [];
  const outputIsStep = sig.trace.steps.some((s) => s.out === sig.trace.output);

  sig.trace.steps.forEach((step, i) => {
    const name = step.out === sig.trace.output ? z : `${ctx.name}_${i + 1}`;
    const tensor = (k: number): Value => {
      const a = step.args[k];
      if (a === undefined || !isTensorArg(a)) throw new Unwritable(`${step.op}: argument ${k + 1} is not a tensor`);
      return values.get(a.t)!;
    };
    const num = (k: number, fallback: number): number => {
      const a = step.args[k];
      return typeof a === 'number' ? a : fallback;
    };
    const k = (...names: KernelName[]) => names.forEach((n) => used.add(n));
    const back: string[] = [];
    let shape: Shape;
    let needs: boolean;
    const fwd = (line: string) => forward.push(line);
    const bwd = (x: Value, line: string) => {
      if (x.d !== undefined) back.push(line);
    };
    const dName = `d_${name}`;

    switch (step.op) {
      case 'add':
      case 'sub':
      case 'mul':
      case 'div': {
        const operand = (j: number): Value => {
          const a = step.args[j];
          if (typeof a === 'number' || a === 'N') return { v: `Float64Array.of(${a})`, d: undefined, shape: [] };
          return tensor(j);
        };
        const [a, b] = [operand(0), operand(1)];
        shape = broadcast(a.shape, b.shape);
        k('binaryForward', 'broadcastAt');
        const shapes = `${shapeOf(a.shape)}, ${b.v}, ${shapeOf(b.shape)}, ${shapeOf(shape)}`;
        fwd(`const ${name} = binaryForward('${step.op}', ${a.v}, ${shapes});`);
        const sign = { add: '+', sub: '−', mul: '·', div: '/' }[step.op];
        bwd(a, `binaryBackward('${step.op}', 'a', ${dName}, ${a.v}, ${shapes}, ${a.d}); // z = a ${sign} b: ∂L/∂a`);
        bwd(b, `binaryBackward('${step.op}', 'b', ${dName}, ${a.v}, ${shapes}, ${b.d}); // z = a ${sign} b: ∂L/∂b`);
        needs = a.d !== undefined || b.d !== undefined;
        break;
      }
      case 'neg': {
        const x = tensor(0);
        shape = x.shape;
        k('binaryForward', 'broadcastAt');
        const shapes = `${shapeOf(shape)}, Float64Array.of(-1), [], ${shapeOf(shape)}`;
        fwd(`const ${name} = binaryForward('mul', ${x.v}, ${shapes}); // z = −x`);
        bwd(x, `binaryBackward('mul', 'a', ${dName}, ${x.v}, ${shapes}, ${x.d}); // ∂L/∂x = −∂L/∂z`);
        needs = x.d !== undefined;
        break;
      }
      case 'matmul': {
        const [a, b] = [tensor(0), tensor(1)];
        const aS = a.shape.length === 1 ? [1, ...a.shape] : a.shape;
        const bS = b.shape.length === 1 ? [...b.shape, 1] : b.shape;
        const [K, Nc] = [bS[bS.length - 2]!, bS[bS.length - 1]!];
        if (aS[aS.length - 1] !== K) throw new Unwritable(`matmul of ${shapeOf(a.shape)} and ${shapeOf(b.shape)}`);
        let batch: string;
        let M: string;
        if (bS.length === 2) {
          // b is one matrix: every row of a (over its leading dimensions) meets it.
          [batch, M] = ['1', sizeOf(aS.slice(0, -1))];
        } else {
          const lead = aS.slice(0, -2);
          if (lead.length !== bS.length - 2 || lead.some((d, j) => d !== bS[j]))
            throw new Unwritable(`matmul broadcasting ${shapeOf(a.shape)} against ${shapeOf(b.shape)}`);
          [batch, M] = [sizeOf(lead), String(aS[aS.length - 2])];
        }
        shape = [...(a.shape.length === 1 ? [] : a.shape.slice(0, -1)), ...(b.shape.length === 1 ? [] : [Nc])];
        k('bmmInto');
        fwd(`const ${name} = new Float64Array(${sizeOf(shape)});`);
        fwd(`bmmInto(${a.v}, ${b.v}, ${batch}, ${M}, ${K}, ${Nc}, false, false, 1, ${name}); // z = a · b`);
        bwd(a, `bmmInto(${dName}, ${b.v}, ${batch}, ${M}, ${Nc}, ${K}, false, true, 1, ${a.d}); // ∂L/∂a = ∂L/∂z · bᵀ`);
        bwd(b, `bmmInto(${a.v}, ${dName}, ${batch}, ${K}, ${M}, ${Nc}, true, false, 1, ${b.d}); // ∂L/∂b = aᵀ · ∂L/∂z`);
        needs = a.d !== undefined || b.d !== undefined;
        break;
      }
      case 'exp':
      case 'log':
      case 'sqrt':
      case 'abs':
      case 'pow':
      case 'softplus': {
        const x = tensor(0);
        shape = x.shape;
        const p = step.op === 'pow' ? num(1, 1) : 0;
        k('unaryForward', 'softplus');
        fwd(`const ${name} = unaryForward('${step.op}', ${x.v}, ${p});`);
        const note = {
          exp: 'eˣ',
          log: '1/x',
          sqrt: '1/(2√x)',
          abs: 'sign(x)',
          pow: `${p}·x^${p - 1}`,
          softplus: 'σ(x)',
        }[step.op];
        bwd(x, `unaryBackward('${step.op}', ${x.v}, ${name}, ${dName}, ${p}, ${x.d}); // ∂L/∂x = ∂L/∂z ⊙ ${note}`);
        needs = x.d !== undefined;
        break;
      }
      case 'tanh':
      case 'sigmoid': {
        const x = tensor(0);
        shape = x.shape;
        k(`${step.op}Forward`, `${step.op}Backward`);
        fwd(`const ${name} = ${step.op}Forward(${x.v});`);
        const note = step.op === 'tanh' ? '(1 − tanh²(x))' : 'σ(x)(1 − σ(x))';
        bwd(x, `${step.op}Backward(${name}, ${dName}, ${x.d}); // ∂L/∂x = ∂L/∂z ⊙ ${note}`);
        needs = x.d !== undefined;
        break;
      }
      case 'relu': {
        const x = tensor(0);
        shape = x.shape;
        k('leakyReluForward', 'leakyReluBackward');
        fwd(`const ${name} = leakyReluForward(${x.v}, 0);`);
        bwd(x, `leakyReluBackward(${x.v}, ${dName}, 0, ${x.d}); // ∂L/∂x = ∂L/∂z ⊙ [x > 0]`);
        needs = x.d !== undefined;
        break;
      }
      case 'softmax':
      case 'logSoftmax': {
        const x = tensor(0);
        shape = x.shape;
        const log = step.op === 'logSoftmax';
        const { outer, C, inner } = around(shape, norm(num(1, -1), shape.length));
        k('softmaxForward', 'softmaxBackward');
        fwd(`const ${name} = softmaxForward(${x.v}, ${outer}, ${C}, ${inner}, ${log});`);
        const note = log ? '∂L/∂x = ∂L/∂z − softmax(x)·Σⱼ ∂L/∂zⱼ' : '∂L/∂x = z ⊙ (∂L/∂z − Σⱼ ∂L/∂zⱼ zⱼ)';
        bwd(x, `softmaxBackward(${name}, ${dName}, ${outer}, ${C}, ${inner}, ${log}, ${x.d}); // ${note}`);
        needs = x.d !== undefined;
        break;
      }
      case 'sum':
      case 'mean': {
        const x = tensor(0);
        const a = step.args[1];
        const keep = step.args[2] === true;
        const rank = x.shape.length;
        const dims =
          a === null || a === undefined
            ? null
            : [...new Set((isShapeArg(a) ? a : [a]).map((d) => norm(Number(d), rank)))].sort((p, q) => q - p);
        const op = JSON.stringify(step.op);
        k('reduceForward', 'reduceBackward');
        if (dims === null) {
          shape = [];
          const from = `${ctx.name}_${i + 1}_from`;
          const args = `1, ${sizeOf(x.shape)}, 1, ${op}`;
          fwd(`const [${name}, ${from}] = reduceForward(${x.v}, ${args}); // over every element`);
          bwd(
            x,
            `reduceBackward(${dName}, ${from}, ${args}, ${x.d}); // ∂L/∂x_k = ∂L/∂z${step.op === 'mean' ? ' / K' : ''}`,
          );
        } else {
          // One dimension at a time, the last first (the flat layout does not see keepdim).
          let cur: Value = x;
          let s: number[] = [...x.shape];
          dims.forEach((d, j) => {
            const last = j === dims.length - 1;
            const v = last ? name : `${ctx.name}_${i + 1}_r${j}`;
            const from = `${ctx.name}_${i + 1}_from${j}`;
            const { outer, C, inner } = around(s, d);
            const args = `${outer}, ${C}, ${inner}, ${op}`;
            fwd(`const [${v}, ${from}] = reduceForward(${cur.v}, ${args}); // over dimension ${d}`);
            const dv = `d_${v}`;
            if (!last && x.d !== undefined) scratchGrads.push(`const ${dv} = new Float64Array(${v}.length);`);
            const note = step.op === 'mean' ? '∂L/∂x_k = ∂L/∂z / K' : '∂L/∂x_k = ∂L/∂z';
            bwd(
              x,
              `reduceBackward(${dv}, ${from}, ${args}, ${j === 0 ? x.d : `d_${ctx.name}_${i + 1}_r${j - 1}`}); // ${note}`,
            );
            s = s.filter((_, q) => q !== d);
            cur = { v, d: undefined, shape: s };
          });
          // Emitted in reverse: the reductions' backward runs last dimension reduced first.
          back.reverse();
          shape = x.shape.flatMap((n, q) => (dims.includes(q) ? (keep ? [1] : []) : [n]));
        }
        needs = x.d !== undefined;
        break;
      }
      case 'transpose': {
        const x = tensor(0);
        const rank = x.shape.length;
        const [d0, d1] = [norm(num(1, -2), rank), norm(num(2, -1), rank)];
        const perm = x.shape.map((_, q) => (q === d0 ? d1 : q === d1 ? d0 : q));
        shape = perm.map((p) => x.shape[p]!);
        const at = `${ctx.name}_${i + 1}_index`;
        k('permuteIndex', 'gatherForward', 'gatherBackward');
        fwd(`const ${at} = permuteIndex(${shapeOf(x.shape)}, [${perm.join(', ')}]);`);
        fwd(`const ${name} = gatherForward(${x.v}, ${at}); // dimensions ${d0} and ${d1} swapped`);
        bwd(x, `gatherBackward(${dName}, ${at}, ${x.d}); // ∂L/∂x = ∂L/∂z with the two dimensions swapped back`);
        needs = x.d !== undefined;
        break;
      }
      case 'reshape': {
        const x = tensor(0);
        const to = step.args[1];
        if (to === undefined || to === null || !isShapeArg(to)) throw new Unwritable('reshape without a shape');
        shape = reshaped(x.shape, to);
        k('addInto');
        fwd(`const ${name} = ${x.v}; // the same row-major numbers, read as ${shapeOf(shape)}`);
        bwd(x, `addInto(${x.d}, ${dName}); // ∂L/∂x = ∂L/∂z, read in x's shape`);
        needs = x.d !== undefined;
        break;
      }
      default:
        throw new Unwritable(`the op ${step.op} has no from-scratch code`);
    }
    values.set(step.out, { v: name, d: needs ? dName : undefined, shape });
    if (needs && name !== z) scratchGrads.push(`const ${dName} = new Float64Array(${name}.length);`);
    backSteps.push(back);
  });

  if (!outputIsStep) {
    // The code returned an input or a parameter as it is.
    const x = values.get(sig.trace.output)!;
    used.add('addInto');
    forward.push(`const ${z} = ${x.v};`);
    backSteps.push(x.d ? [`addInto(${x.d}, ${dz}); // ∂L/∂x = ∂L/∂z`] : []);
  }
  const backward = [...scratchGrads, ...backSteps.reverse().flat()];
  return scratch(
    kernels(...used),
    [`// the ops its code called, in order`, ...forward],
    backward.length > scratchGrads.length ? backward : [],
    Object.entries(sig.params).map(([name, shape]) => ({ name, shape })),
  );
}

/** The from-scratch code, or why it cannot be written. */
export function customScratchOrRefusal(ctx: EmitContext<unknown>, sig: CustomSignature): EmitResult {
  try {
    return customScratch(ctx, sig);
  } catch (e) {
    if (!(e instanceof Unwritable)) throw e;
    return { init: [], forward: [], refused: `a from-scratch program cannot write what its code called: ${e.message}` };
  }
}
