// A seq2seq project with a custom node that has parameters, for the tests of what a custom node's
// parameters go through outside a step: `weights` and `translate` (the CLI's, src/cli/customNode.test.ts)
// and session.weights / session.translate (host/services/translate.test.ts).
// Test support: imported by *.test.ts only, excluded from the build.
import { readFileSync } from 'node:fs';
import { loadProject } from '../../engine/graph/load';
import type { Project } from '../../engine/graph/schema';
import type { CustomCodeHost } from '../../engine/runtime/customCode';
import { inferCustomSignature } from '../../engine/runtime/customCode';

/** A learned 32×32 map added to the decoder's states (a residual layer): `mix.w` in the weights. */
export const MIX =
  "export default node({ inputs: ['x'], params: { w: [32, 32] }, forward: ({ x }, { w }) => add(x, matmul(x, w)) });";

/**
 * The seq2seq-attention example with the custom node `mix` between the decoder and what reads it
 * (the attention's query and the concatenation before the output layer), so the decoded words and
 * the attention weights both depend on `mix.w`. `sandbox` works out the node's signature, as the app does.
 */
export function seq2seqWithCustomNode(sandbox: CustomCodeHost): Project {
  const r = loadProject(
    readFileSync(new URL('../../../resources/examples/seq2seq-attention.json', import.meta.url), 'utf8'),
  );
  if (!r.ok) throw new Error(r.error);
  const p = r.project;
  const decoder = p.graph.nodes.find((n) => n.id === 'decoder')!;
  const signature = inferCustomSignature(sandbox.compile(MIX), { x: [-1, 7, 32] });
  p.graph.nodes.push({
    id: 'mix',
    type: 'Custom',
    params: { code: MIX, signature, error: null },
    position: { x: decoder.position.x + 120, y: decoder.position.y },
  });
  p.graph.edges = p.graph.edges.map((e) =>
    e.source === 'decoder' && e.sourcePort === 'output' ? { ...e, source: 'mix', sourcePort: 'out' } : e,
  );
  p.graph.edges.push({ id: 'e_mix', source: 'decoder', sourcePort: 'output', target: 'mix', targetPort: 'x' });
  return p;
}
