// The project-file fuzz: 10,000 mutations of the bundled examples per run through the loader and
// the validator. Each file must come back as a project (then validate and save again) or as one
// refusing sentence, never as an exception, and never touch Object.prototype. The work per file
// is bounded (examples of a few KB, at most 3 mutations, nesting cut at 64 levels before parsing,
// at most 4 copies of each node), so the whole run is a fixed amount of work: a hang is a
// loop that never ends and shows as the test's timeout, not as a clock reading.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadProject, saveProject } from './load';
import { validateGraph } from './validate';

/** Seeds of past failures, replayed on every run before a fresh random seed (300 files each). */
const PINNED_SEEDS: readonly number[] = [
  // A key such as "{ype" or "[osition" in a node: its load issue's path was not a JSON path (300 files replay it).
  481686973,
];
const FILES = 10_000;
const seed = Number(process.env.PROJECT_FUZZ_SEED ?? Date.now() % 2 ** 31);
console.log(`project-file fuzz: seed ${seed} (set PROJECT_FUZZ_SEED=${seed} to replay)`);

const EXAMPLES = fileURLToPath(new URL('../../../resources/examples', import.meta.url));
const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => {
    const text = readFileSync(`${EXAMPLES}/${f}`, 'utf8');
    return { name: f, text, doc: JSON.parse(text) as Record<string, unknown> };
  });
type Example = (typeof examples)[number];

const jsonScalar = fc.oneof(
  fc.integer({ min: -5, max: 64 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 6 }),
);

/** Mutations of a valid file's text, each a few string operations or one parse and stringify. */
const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('proto' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('deep' as const), at: fc.nat(), depth: fc.constantFrom(63, 65, 1000, 10_000) }),
  fc.record({
    kind: fc.constant('retype' as const),
    path: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
    value: fc.oneof(jsonScalar, fc.constant({}), fc.constant([]), fc.constant({ __proto__: null })),
  }),
  fc.record({
    kind: fc.constant('char' as const),
    at: fc.nat(),
    ch: fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', '0', 'x'),
  }),
  fc.record({ kind: fc.constant('bitflip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('duplicateIds' as const), copies: fc.integer({ min: 1, max: 3 }) }),
  fc.record({
    kind: fc.constant('hugeShape' as const),
    node: fc.nat(),
    field: fc.constantFrom('out_features', 'hidden_size', 'shape', 'embedding_dim', 'out_channels', 'in_features'),
    value: fc.constantFrom(2 ** 20, 2 ** 31, 2 ** 40, 2 ** 53, 1e300, [2 ** 20, 2 ** 20], [-1, 1e9], [2 ** 31]),
  }),
);

type Mutation = typeof mutationArb extends fc.Arbitrary<infer M> ? M : never;
type MutationKind = Mutation['kind'];
const KINDS: readonly MutationKind[] = [
  'truncate',
  'proto',
  'deep',
  'retype',
  'char',
  'bitflip',
  'duplicateIds',
  'hugeShape',
];

type Doc = Record<string, unknown>;
type Nodes = { params: Record<string, unknown> }[];

/** `doc` with the value at `path` (indices taken modulo each level's size) replaced; `doc` is not changed. */
function retype(doc: unknown, path: number[], value: unknown): unknown {
  if (path.length === 0 || doc === null || typeof doc !== 'object') return value;
  const keys = Object.keys(doc);
  if (keys.length === 0) return value;
  const k = keys[path[0] % keys.length];
  const copy: Doc = Array.isArray(doc) ? ([...doc] as unknown as Doc) : { ...(doc as Doc) };
  copy[k] = retype((doc as Doc)[k], path.slice(1), value);
  return copy;
}

/** A mutation of the parsed document (copied along the way, never changed in place); throws where it cannot apply. */
function mutateValue(doc: Doc, m: Mutation): Doc {
  const graph = doc.graph as { nodes: Nodes };
  switch (m.kind) {
    case 'retype':
      return retype(doc, m.path, m.value) as Doc;
    case 'duplicateIds':
      // Every node repeated under its own id.
      return { ...doc, graph: { ...graph, nodes: graph.nodes.flatMap((n) => Array<unknown>(m.copies + 1).fill(n)) } };
    case 'hugeShape': {
      const nodes = [...graph.nodes];
      const i = m.node % nodes.length;
      nodes[i] = { ...nodes[i], params: { ...nodes[i].params, [m.field]: m.value } };
      return { ...doc, graph: { ...graph, nodes } };
    }
    default:
      return doc;
  }
}

/** A mutation of the file's text: a few string operations. */
function mutateText(text: string, m: Mutation): string {
  const at = 'at' in m ? m.at % (text.length + 1) : 0;
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, at);
    case 'proto': {
      const i = text.indexOf('{', at);
      return i < 0
        ? `{"__proto__":{"polluted":true},${text.slice(1)}`
        : `${text.slice(0, i + 1)}"__proto__":{"polluted":true},${text.slice(i + 1)}`;
    }
    case 'deep': {
      // A value nested m.depth levels (arrays and objects alternating) in place of the value at `at`.
      const i = text.indexOf(':', at);
      const pos = i < 0 ? 1 : i + 1;
      const open = '[{"a":'.repeat(m.depth >> 1) + (m.depth % 2 ? '[' : '');
      const close = (m.depth % 2 ? ']' : '') + '}]'.repeat(m.depth >> 1);
      return `${text.slice(0, pos)}${open}0${close}${text.slice(pos).replace(/^\s*[^,}\]]*/, '')}`;
    }
    case 'char':
      return text.slice(0, at) + m.ch + text.slice(at + 1);
    case 'bitflip':
      return text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ (1 << m.bit)) + text.slice(at + 1);
    default:
      return text;
  }
}

const VALUE_KINDS: ReadonlySet<MutationKind> = new Set(['retype', 'duplicateIds', 'hugeShape']);

/**
 * The example with the mutations applied: those of the value first, on the document parsed once
 * (one stringify per file, not one parse and stringify per mutation), then those of the text.
 * Returns the kinds that applied.
 */
function mutate(example: Example, ms: readonly Mutation[]): { text: string; applied: MutationKind[] } {
  const applied: MutationKind[] = [];
  let doc = example.doc;
  for (const m of ms) {
    if (!VALUE_KINDS.has(m.kind)) continue;
    try {
      doc = mutateValue(doc, m);
      applied.push(m.kind);
    } catch {
      // An earlier mutation removed what this one changes (the graph, its nodes); skip it.
    }
  }
  let text = doc === example.doc ? example.text : JSON.stringify(doc);
  for (const m of ms) {
    if (VALUE_KINDS.has(m.kind)) continue;
    text = mutateText(text, m);
    applied.push(m.kind);
  }
  return { text, applied };
}

/** A check that costs no more than its condition (vitest's expect is too slow for 10,000 files × many issues). */
function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

const prototypeIntact = (): boolean =>
  Object.keys(Object.prototype).length === 0 && ({} as Record<string, unknown>).polluted === undefined;

/** Where a load issue points: '' (the whole file) or a path such as `graph.nodes[3].params` or `weights["a.b"]`. */
const JSON_PATH = /^(|[A-Za-z_]\w*(\.[A-Za-z_$][\w$]*|\[\d+\]|\["([^"\\]|\\.)*"\])*)$/;
const REFUSAL = /^Cannot open the project: [^\n]+\.$/;

describe('project-file fuzz', () => {
  it(`${FILES.toLocaleString('en-US')} mutated examples (truncation, bit flips, wrong types, duplicated ids, huge shapes, 10,000-deep nesting, __proto__ keys) load as a project or one sentence, never an exception`, () => {
    const applied = new Map<MutationKind, number>();
    const perExample = new Map<string, number>();
    let opened = 0;
    let refused = 0;
    const loadOne = (example: Example, ms: Mutation[]): void => {
      const { text, applied: kinds } = mutate(example, ms);
      for (const k of kinds) applied.set(k, (applied.get(k) ?? 0) + 1);
      perExample.set(example.name, (perExample.get(example.name) ?? 0) + 1);
      const r = loadProject(text);
      if (r.ok) {
        opened++;
        for (const issue of r.issues) {
          check(JSON_PATH.test(issue.path), `a load issue's path is not a JSON path: ${issue.path}`);
          check(issue.message.length > 10, `a load issue says too little: ${issue.message}`);
        }
        const a = validateGraph(r.project.graph, undefined, { batchSize: r.project.training.batchSize });
        check(a.valid === !a.issues.some((i) => i.severity === 'error'), 'valid disagrees with the issues');
        check(loadProject(saveProject(r.project)).ok, 'the saved project does not open again');
      } else {
        refused++;
        check(REFUSAL.test(r.error), `not one sentence: ${r.error}`);
      }
      check(prototypeIntact(), 'Object.prototype changed');
    };
    const property = fc.property(
      fc.constantFrom(...examples),
      fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
      loadOne,
    );
    for (const s of PINNED_SEEDS) fc.assert(property, { seed: s, numRuns: 300 });
    applied.clear();
    perExample.clear();
    opened = 0;
    refused = 0;
    fc.assert(property, { seed, numRuns: FILES });

    // The run did what it says: every example and every kind of mutation, both outcomes.
    expect(opened + refused).toBe(FILES);
    expect([...perExample.keys()].sort()).toEqual(examples.map((e) => e.name).sort());
    for (const kind of KINDS) expect(applied.get(kind) ?? 0, kind).toBeGreaterThan(FILES / 50);
    expect(opened).toBeGreaterThan(FILES / 10);
    expect(refused).toBeGreaterThan(FILES / 10);
  });
});
