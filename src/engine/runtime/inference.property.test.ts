import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noGrad } from '../autograd/gradMode';
import { tensor } from '../tensor/create';
import { Rng } from '../tensor/rng';
import { tidy } from '../tensor/scope';
import { loadProject, saveProject } from '../graph/load';
import { nodeTypes } from '../graph/registry/registerAll';
import { newProject } from '../graph/schema';
import { validateGraph } from '../graph/validate';
import { compileGraph } from './compile';
import { buildGraph } from './randomGraphs.test-support';

/**
 * Random *valid* layer stacks: shape inference (what the canvas prints on each edge) must equal
 * the shapes the engine computes, every node's formula and summary must render, and the graph
 * must survive save → load. Seed printed; failing seeds go in PINNED_SEEDS.
 */
const PINNED_SEEDS: readonly number[] = [
  // BatchNorm on a batch of one in training mode (a runtime refusal, as in torch, not a shape bug).
  482738781,
];
const seed = Number(process.env.GRAPH_PROPERTY_SEED ?? (Date.now() + 1) % 2 ** 31);
console.log(`inference property test: seed ${seed} (set GRAPH_PROPERTY_SEED=${seed} to replay)`);

describe('shape inference agrees with the engine', () => {
  it('random valid layer stacks: inferred edge shapes equal computed ones; formulas render; files round-trip', () => {
    for (const s of [...PINNED_SEEDS, seed]) {
      fc.assert(
        fc.property(
          fc.array(fc.nat(1000), { minLength: 8, maxLength: 40 }),
          fc.integer({ min: 1, max: 3 }),
          (choices, batchSize) => {
            const graph = buildGraph(choices);
            const a = validateGraph(graph);
            expect(
              a.issues.filter((x) => x.severity === 'error'),
              JSON.stringify(graph),
            ).toEqual([]);
            for (const node of graph.nodes) {
              const def = nodeTypes.get(node.type)!;
              const ctx = { params: a.params[node.id], inputs: a.inputs[node.id] ?? {}, outputs: a.outputs[node.id] };
              expect(def.formula(ctx)).not.toMatch(/undefined|NaN/);
              expect(def.summary(ctx.params, ctx.inputs)).not.toMatch(/undefined|NaN/);
            }
            const c = compileGraph(graph, { seed: 1 });
            if (!c.ok) throw new Error(c.issues[0].message);
            // Evaluation mode: BatchNorm refuses one sample per channel in training, as torch does.
            c.model.eval();
            const rng = new Rng(3);
            const xShape = [batchSize, ...(graph.nodes[0].params.shape as number[])];
            const n = xShape.reduce((p, q) => p * q, 1);
            tidy(() =>
              noGrad(() => {
                const batch = {
                  x: tensor(
                    Array.from({ length: n }, () => rng.uniform(-1, 1)),
                    xShape,
                  ),
                  y: tensor(
                    Array.from({ length: batchSize }, () => rng.int(3)),
                    [batchSize],
                  ),
                };
                const { values, loss } = c.model.forward(batch);
                expect(Number.isFinite(loss!.item())).toBe(true);
                for (const e of graph.edges) {
                  const t = values.get(e.source)![e.sourcePort];
                  const want = a.edgeTypes[e.id].shape.map((d) => (d === -1 ? batchSize : d));
                  expect(t.shape, `${e.id} in ${JSON.stringify(graph)}`).toEqual(want);
                }
              }),
            );
            const text = saveProject({ ...newProject(), graph });
            const back = loadProject(text);
            expect(back.ok && back.project.graph).toEqual(graph);
          },
        ),
        { seed: s, numRuns: 150 },
      );
    }
  });
});
