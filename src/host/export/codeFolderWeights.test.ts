import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../engine/graph/load';
import type { Project } from '../../engine/graph/schema';
import { compileGraph, dumpWeights } from '../../engine/runtime/compile';
import { codeFolder } from './codeFolder';

/**
 * weights.json of an exported folder holds the weights the document carries — the Code tab puts
 * the step session's current ones there — by the generated code's (PyTorch) names, and without
 * any, the seed's initial weights. Node ids that are not identifiers are renamed as in the code.
 */
function xorWithDashedId(): Project {
  const r = loadProject(readFileSync(path.resolve(__dirname, '../../../resources/examples/xor-mlp.json'), 'utf8'));
  if (!r.ok) throw new Error(r.error);
  const g = r.project.graph;
  const rename = (id: string) => (id === 'fc1' ? 'fc-1' : id);
  return {
    ...r.project,
    graph: {
      ...g,
      nodes: g.nodes.map((n) => ({ ...n, id: rename(n.id) })),
      edges: g.edges.map((e) => ({ ...e, source: rename(e.source), target: rename(e.target) })),
    },
  };
}

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);

async function exportedWeights(project: Project, lang: 'ts' | 'python'): Promise<Record<string, unknown>> {
  const f = (await codeFolder(project, lang)).find((x) => x.path === 'weights.json');
  return JSON.parse(f!.content as string) as Record<string, unknown>;
}

describe('weights.json of an exported folder', () => {
  it('holds the weights the document carries, by the code’s names, in both languages', async () => {
    const base = xorWithDashedId();
    const other = compileGraph(base.graph, { seed: 1234 });
    if (!other.ok) throw new Error(other.issues[0].message);
    const weights = dumpWeights(other.model);
    for (const lang of ['ts', 'python'] as const) {
      const got = await exportedWeights({ ...base, weights }, lang);
      expect(Object.keys(got).sort(), lang).toEqual(['fc2.bias', 'fc2.weight', 'fc_1.bias', 'fc_1.weight']);
      for (const [name, w] of Object.entries(weights))
        expect(flat(got[name.replace('fc-1', 'fc_1')]), `${lang} ${name}`).toEqual(w.data);
    }
  });

  it("without weights, holds the seed's initial ones", async () => {
    const base = xorWithDashedId();
    const init = compileGraph(base.graph, { seed: base.training.seed });
    if (!init.ok) throw new Error(init.issues[0].message);
    const got = await exportedWeights(base, 'python');
    for (const [name, w] of Object.entries(dumpWeights(init.model)))
      expect(flat(got[name.replace('fc-1', 'fc_1')]), name).toEqual(w.data);
  });
});
