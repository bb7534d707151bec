import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { MAX_NODES, loadProject, loadProjectValue, saveProject } from './load';
import { MAX_JSON_DEPTH } from './safeJson';
import { PROJECT_VERSION, defaultTrainingSettings, newProject } from './schema';
import { xorGraph } from './testGraphs.test-support';
import { validateGraph } from './validate';

const EXAMPLES = fileURLToPath(new URL('../../../resources/examples', import.meta.url));
const exampleFiles = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));

describe('project files', () => {
  it('has example documents to check', () => {
    expect(exampleFiles.length).toBeGreaterThanOrEqual(2);
  });

  for (const file of exampleFiles) {
    it(`${file}: loads cleanly, validates, and load → save → load is identical`, () => {
      const text = readFileSync(join(EXAMPLES, file), 'utf8');
      const first = loadProject(text);
      if (!first.ok) throw new Error(first.error);
      expect(first.issues).toEqual([]);
      expect(validateGraph(first.project.graph).issues.filter((i) => i.severity === 'error')).toEqual([]);
      const saved = saveProject(first.project);
      const second = loadProject(saved);
      if (!second.ok) throw new Error(second.error);
      expect(second.project).toEqual(first.project);
      expect(saveProject(second.project)).toBe(saved);
    });
  }

  it('refuses a file from a newer version with a clear message', () => {
    const r = loadProject(JSON.stringify({ ...newProject(), version: PROJECT_VERSION + 1 }));
    expect(r).toEqual({
      ok: false,
      error: `Cannot open the project: it was saved by a newer Backprop Studio (file format version ${PROJECT_VERSION + 1}; this version reads up to ${PROJECT_VERSION}). Update Backprop Studio to open it.`,
    });
  });

  it('refuses what is not a project, and malformed JSON, in one sentence', () => {
    expect(loadProject('{"format":"other","version":1}')).toMatchObject({
      ok: false,
      error: expect.stringContaining('not a Backprop Studio project'),
    });
    expect(loadProject('{"format":"backprop-studio","version":')).toMatchObject({
      ok: false,
      error: expect.stringContaining('not valid JSON'),
    });
    expect(loadProject('[1,2]')).toMatchObject({
      ok: false,
      error: expect.stringContaining('does not contain a JSON object'),
    });
  });

  it('migrates a version 1 file (x/y positions, "node:port" edge ends)', () => {
    const v1 = {
      format: 'backprop-studio',
      version: 1,
      name: 'old',
      graph: {
        nodes: [
          { id: 'x', type: 'Input', params: { shape: [2] }, x: 10, y: 20 },
          { id: 'fc', type: 'Linear', params: { out_features: 3 }, x: 200, y: 20 },
        ],
        edges: [{ id: 'e1', from: 'x:out', to: 'fc:input' }],
      },
    };
    const r = loadProject(JSON.stringify(v1));
    if (!r.ok) throw new Error(r.error);
    expect(r.issues).toEqual([]);
    expect(r.project.version).toBe(PROJECT_VERSION);
    expect(r.project.graph.nodes[0].position).toEqual({ x: 10, y: 20 });
    expect(r.project.graph.edges[0]).toEqual({
      id: 'e1',
      source: 'x',
      sourcePort: 'out',
      target: 'fc',
      targetPort: 'input',
    });
    expect(validateGraph(r.project.graph).edgeTypes.e1).toEqual({ shape: [-1, 2], kind: 'tensor' });
  });

  it('keeps invalid nodes and flags them; reports what it repaired', () => {
    const p = { ...newProject(), graph: xorGraph() };
    const doc = JSON.parse(JSON.stringify(p));
    doc.graph.nodes[1].params = { out_features: 'many' };
    doc.graph.nodes[2].type = 'NoSuchLayer';
    doc.graph.nodes[3].position = 'left';
    doc.graph.nodes.push(42);
    const r = loadProject(JSON.stringify(doc));
    if (!r.ok) throw new Error(r.error);
    expect(r.project.graph.nodes.map((x) => x.id)).toEqual(['x', 'fc1', 'act1', 'fc2', 'y', 'loss']);
    expect(r.issues.map((i) => i.path)).toEqual(['graph.nodes[3].position', 'graph.nodes[6]']);
    const codes = validateGraph(r.project.graph).issues.map((i) => [i.nodeId, i.code]);
    expect(codes).toEqual(
      expect.arrayContaining([
        ['fc1', 'invalid-parameter'],
        ['act1', 'unknown-type'],
      ]),
    );
  });

  it('removes __proto__ keys and leaves Object.prototype alone', () => {
    const text = saveProject({ ...newProject(), graph: xorGraph() }).replace(
      '"params": {',
      '"params": {"__proto__": {"polluted": true}, ',
    );
    const r = loadProject(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.issues[0].message).toContain('"__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r.project.graph.nodes[0].params)).toBe(Object.prototype);
    const fromValue = loadProjectValue(JSON.parse(text));
    expect(fromValue.ok).toBe(true);
  });

  it('refuses deep nesting before parsing it', () => {
    const deep = `{"format":"backprop-studio","version":2,"ui":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(loadProject(deep)).toEqual({
      ok: false,
      error: `Cannot open the project: the JSON is nested more than ${MAX_JSON_DEPTH} levels deep.`,
    });
    let v: unknown = 1;
    for (let i = 0; i < 1000; i++) v = [v];
    expect(loadProjectValue({ ...newProject(), ui: { v } }).ok).toBe(false);
    const cyclic: Record<string, unknown> = { ...newProject() };
    cyclic.ui = { self: cyclic };
    expect(loadProjectValue(cyclic).ok).toBe(false);
  });

  it('keeps valid training settings and defaults only the invalid one', () => {
    const p = newProject();
    const doc = JSON.parse(saveProject(p));
    doc.training.batchSize = -4;
    doc.training.epochs = 7;
    const r = loadProject(JSON.stringify(doc));
    if (!r.ok) throw new Error(r.error);
    expect(r.project.training.batchSize).toBe(32);
    expect(r.project.training.epochs).toBe(7);
    expect(r.issues[0].path).toBe('training.batchSize');
  });

  it('an optimizer or early stopping that names only what differs takes the defaults for the rest, without an issue', () => {
    const doc = JSON.parse(saveProject(newProject()));
    doc.training.optimizer = { type: 'adam', lr: 0.005 };
    doc.training.earlyStopping = { enabled: true };
    const r = loadProject(JSON.stringify(doc));
    if (!r.ok) throw new Error(r.error);
    const defaults = defaultTrainingSettings();
    expect(r.project.training.optimizer).toEqual({ ...defaults.optimizer, type: 'adam', lr: 0.005 });
    expect(r.project.training.earlyStopping).toEqual({ enabled: true, patience: defaults.earlyStopping.patience });
    expect(r.issues).toEqual([]);
    // An invalid field still defaults the whole object, with an issue naming the field.
    doc.training.optimizer = { type: 'adam', lr: -1 };
    const bad = loadProject(JSON.stringify(doc));
    if (!bad.ok) throw new Error(bad.error);
    expect(bad.project.training.optimizer).toEqual(defaults.optimizer);
    expect(bad.issues.map((i) => i.path)).toEqual(['training.optimizer.lr']);
  });

  it('reports an unknown training setting even when every other setting is valid', () => {
    const doc = JSON.parse(saveProject(newProject()));
    doc.training.batchsize = 64;
    doc.training.optimizer.learningRate = 0.5;
    doc.training.split.validation = 0.1;
    doc.training.earlyStopping['patience days'] = 3;
    doc.training.dataset.size = 10;
    doc.training.dataset.params = { n: 40 };
    const r = loadProject(JSON.stringify(doc));
    if (!r.ok) throw new Error(r.error);
    expect(r.project.training.batchSize).toBe(32);
    expect(r.project.training.dataset.params).toEqual({ n: 40 });
    expect(r.issues).toEqual([
      { path: 'training.dataset.size', message: 'unknown setting "size" in training.dataset was ignored' },
      { path: 'training.split.validation', message: 'unknown setting "validation" in training.split was ignored' },
      {
        path: 'training.optimizer.learningRate',
        message: 'unknown setting "learningRate" in training.optimizer was ignored',
      },
      {
        path: 'training.earlyStopping["patience days"]',
        message: 'unknown setting "patience days" in training.earlyStopping was ignored',
      },
      { path: 'training.batchsize', message: 'unknown training setting "batchsize" was ignored' },
    ]);
  });

  it('names where an issue is with a JSON path that quotes keys which are not plain names', () => {
    const doc = JSON.parse(saveProject({ ...newProject(), graph: xorGraph() }));
    doc.graph.nodes[1]['{ype'] = 'Linear';
    doc.graph.nodes[1].position2 = 1;
    doc.training.batchSize = -4;
    doc.training['lr.x'] = 1;
    doc.weights = { 'fc1.weight': 'no', plain: 'no' };
    const r = loadProject(JSON.stringify(doc));
    if (!r.ok) throw new Error(r.error);
    expect(r.issues.map((i) => i.path)).toEqual([
      'graph.nodes[1]["{ype"]',
      'graph.nodes[1].position2',
      'training.batchSize',
      'training["lr.x"]',
      'weights["fc1.weight"]',
      'weights.plain',
    ]);
  });
});

describe('loading is linear in the number of nodes', () => {
  const fileWith = (ids: string[]): string =>
    JSON.stringify({
      format: 'backprop-studio',
      version: PROJECT_VERSION,
      graph: { nodes: ids.map((id) => ({ id, type: 'Linear', params: {}, position: { x: 0, y: 0 } })), edges: [] },
    });
  /** Set lookups made while loading: the work of making ids unique, counted rather than timed. */
  function lookups(text: string): { count: number; result: ReturnType<typeof loadProject> } {
    const spy = vi.spyOn(Set.prototype, 'has');
    try {
      const result = loadProject(text);
      return { count: spy.mock.calls.length, result };
    } finally {
      spy.mockRestore();
    }
  }

  it('makes 2,000 duplicated ids unique with a counter per id, not a scan from _2 each time', () => {
    // Worst case for a restarting counter: the renamed ids are already taken.
    const ids = ['n', ...Array.from({ length: 1000 }, (_, i) => `n_${i + 2}`), ...Array<string>(2000).fill('n')];
    const { count, result } = lookups(fileWith(ids));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const seen = new Set(result.project.graph.nodes.map((n) => n.id));
    expect(seen.size).toBe(ids.length);
    expect(result.project.graph.nodes.at(-1)?.id).toBe('n_3001');
    expect(count).toBeLessThan(10 * ids.length);
  });

  it(`loads ${MAX_NODES.toLocaleString('en-US')} nodes with duplicated ids in linear work, and refuses one more`, () => {
    const ids = Array.from({ length: MAX_NODES }, (_, i) => (i % 2 === 0 ? 'dup' : `node${i}`));
    const { count, result } = lookups(fileWith(ids));
    expect(result.ok).toBe(true);
    if (result.ok) expect(new Set(result.project.graph.nodes.map((n) => n.id)).size).toBe(MAX_NODES);
    expect(count).toBeLessThan(10 * MAX_NODES);
    const over = loadProject(fileWith([...ids, 'one-more']));
    expect(over).toEqual({
      ok: false,
      error: 'Cannot open the project: it has 100,001 nodes; the limit is 100,000.',
    });
  });
});

describe('a file that is not JSON', () => {
  it('is refused without quoting its contents', () => {
    for (const [text, why] of [
      ['root:*:20200:0:99999:7:::\ndaemon:*:20200', 'unexpected character at line 1, column 1'],
      ['{"a":1,}', 'Expected double-quoted property name at line 1, column 8'],
      ['{\n  "a": 1,\n}', 'Expected double-quoted property name at line 3, column 1'],
      ['{"a":', 'Unexpected end of JSON input'],
      [
        '{"format": "backprop-studio"}\nsecret-token',
        'Unexpected non-whitespace character after JSON at line 2, column 1',
      ],
    ]) {
      const r = loadProject(text);
      expect(r).toEqual({ ok: false, error: `Cannot open the project: the file is not valid JSON (${why}).` });
      if (!r.ok) expect(r.error).not.toMatch(/root|daemon|secret/);
    }
  });
});
