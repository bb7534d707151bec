import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadProject, loadProjectValue, saveProject } from './load';
import { nodeTypes } from './registry/registerAll';
import type { Graph, Project } from './schema';
import { newProject } from './schema';
import { validateGraph } from './validate';

/**
 * Property tests. The seed of each run is printed; to replay a failure, pin its seed in
 * PINNED_SEEDS (those run on every test run, before a fresh random seed).
 */
const PINNED_SEEDS: readonly number[] = [
  // -0 in a parameter (saved as 0).
  481686973,
];
const seed = Number(process.env.GRAPH_PROPERTY_SEED ?? Date.now() % 2 ** 31);
console.log(`graph property tests: seed ${seed} (set GRAPH_PROPERTY_SEED=${seed} to replay)`);

const runs = (n: number) => [...PINNED_SEEDS, seed].map((s) => ({ seed: s, numRuns: n }));

const typeIds = nodeTypes.list().map((d) => d.type);
const idArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/);
const jsonScalar = fc.oneof(
  fc.integer({ min: -5, max: 64 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 6 }),
);
const paramValue = fc.oneof(jsonScalar, fc.array(fc.integer({ min: -1, max: 9 }), { maxLength: 4 }));

/** Random graphs: real and unknown types, random parameters (mostly known names) and random wiring. */
const graphArb: fc.Arbitrary<Graph> = fc.uniqueArray(idArb, { minLength: 0, maxLength: 12 }).chain((ids) =>
  fc.record({
    nodes: fc.tuple(
      ...ids.map((id) =>
        fc.record({
          id: fc.constant(id),
          type: fc.oneof(
            { weight: 9, arbitrary: fc.constantFrom(...typeIds) },
            { weight: 1, arbitrary: fc.string({ maxLength: 5 }) },
          ),
          params: fc.dictionary(
            fc.oneof(
              fc.constantFrom('out_features', 'shape', 'kind', 'hidden_size', 'dim', 'p', 'bias', 'in_features'),
              fc.string({ maxLength: 4 }),
            ),
            paramValue,
            { maxKeys: 3 },
          ),
          position: fc.record({ x: fc.integer({ min: -1000, max: 1000 }), y: fc.integer({ min: -1000, max: 1000 }) }),
        }),
      ),
    ),
    edges:
      ids.length === 0
        ? fc.constant([])
        : fc.uniqueArray(
            fc.record({
              id: idArb,
              source: fc.constantFrom(...ids),
              sourcePort: fc.constantFrom('out', 'output', 'hidden', 'weights', 'x'),
              target: fc.constantFrom(...ids),
              targetPort: fc.constantFrom('input', 'target', 'a', 'b', 'query', 'key', 'value', 'h0'),
            }),
            { maxLength: 16, selector: (e) => e.id },
          ),
  }),
);

const projectArb: fc.Arbitrary<Project> = graphArb.map((graph) => ({ ...newProject('generated'), graph }));

function untouchedPrototype(): void {
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('graph document properties', () => {
  it('load → save → load is identical for 1,000 generated graphs', () => {
    for (const params of runs(1000)) {
      fc.assert(
        fc.property(projectArb, (p) => {
          const text = saveProject(p);
          const a = loadProject(text);
          if (!a.ok) return false;
          expect(a.issues).toEqual([]);
          expect(saveProject(a.project)).toBe(text);
          const b = loadProject(saveProject(a.project));
          expect(b.ok && b.project).toEqual(a.project);
          return true;
        }),
        params,
      );
    }
  });

  it('random graphs never crash the validator', () => {
    for (const params of runs(1000)) {
      fc.assert(
        fc.property(graphArb, (g) => {
          const a = validateGraph(g);
          expect(a.valid).toBe(!a.issues.some((i) => i.severity === 'error'));
          for (const i of a.issues) expect(i.message.length).toBeGreaterThan(10);
        }),
        params,
      );
    }
  });

  it('arbitrary values from IPC never crash the loader', () => {
    for (const params of runs(500)) {
      fc.assert(
        fc.property(fc.anything({ withObjectString: true, withNullPrototype: true, maxDepth: 5 }), (v) => {
          const r = loadProjectValue(v);
          expect(typeof r.ok).toBe('boolean');
          const r2 = loadProjectValue({
            format: 'backprop-studio',
            version: 2,
            graph: v,
            training: v,
            weights: v,
            ui: v,
          });
          if (r2.ok) validateGraph(r2.project.graph);
          untouchedPrototype();
        }),
        params,
      );
    }
  });
});
