import { readFileSync } from 'node:fs';
import { loadProject } from '../../engine/graph/load';
import type { Project } from '../../engine/graph/schema';

/** The spiral example with a Dropout (p = 0.3) between its second hidden layer and its output layer. */
export function spiralWithDropout(): Project {
  const r = loadProject(readFileSync(new URL('../../../resources/examples/spiral3-mlp.json', import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(r.error);
  const g = r.project.graph;
  const into = g.edges.find((e) => e.source === 'act2')!;
  const graph = {
    ...g,
    nodes: [...g.nodes, { id: 'drop', type: 'Dropout', params: { p: 0.3 }, position: { x: 800, y: 160 } }],
    edges: [
      ...g.edges.filter((e) => e !== into),
      { ...into, target: 'drop', targetPort: 'input' },
      { id: 'eDrop', source: 'drop', sourcePort: 'out', target: into.target, targetPort: into.targetPort },
    ],
  };
  return { ...r.project, graph } as Project;
}
