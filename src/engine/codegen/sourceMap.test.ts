import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../graph/load';
import type { Project } from '../graph/schema';
import { CODE_LANGS, generateCode } from './generate';
import { planProgram } from './program';
import { LineWriter } from './sourceMap';

/**
 * The source map is what the Code tab selects when a node is hovered or clicked, and what a click
 * on a line resolves to: every node's ranges must hold that node's own lines, in every language,
 * also where helper functions of several lines come before them.
 */
const EXAMPLES = path.resolve(__dirname, '../../../resources/examples');
const example = (file: string): Project => {
  const r = loadProject(readFileSync(path.join(EXAMPLES, file), 'utf8'));
  if (!r.ok) throw new Error(r.error);
  return r.project;
};

describe('source map', () => {
  it('counts a string of several lines as those lines', () => {
    const w = new LineWriter('f.ts');
    w.add(0, 'function a() {\n  return 1;\n}', '');
    w.node('n1', 2, ['// n1', 'const n1 = a();']);
    const text = w.done().content.split('\n');
    expect(w.ranges).toEqual([{ nodeId: 'n1', file: 'f.ts', from: 5, to: 6 }]);
    expect(text.slice(4, 6)).toEqual(['  // n1', '  const n1 = a();']);
  });

  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')))
    for (const lang of CODE_LANGS)
      it(`${file}, ${lang}: each node's lines are its own`, () => {
        const project = example(file);
        const names = planProgram(project.graph, 'ts').names;
        const code = generateCode(project, lang);
        expect(code.sourceMap.length).toBeGreaterThan(0);
        for (const r of code.sourceMap) {
          const lines = code.files
            .find((f) => f.path === r.file)!
            .content.split('\n')
            .slice(r.from - 1, r.to);
          expect(lines.length, `${r.nodeId} ${r.from}-${r.to}`).toBe(r.to - r.from + 1);
          // Each range's first line names the node: its caption, field or value.
          const name = names.get(r.nodeId)!;
          expect(lines[0], `${lang} ${r.nodeId} at line ${r.from}`).toMatch(new RegExp(`\\b${name}\\b`));
        }
        // Every node other than the data nodes wrote lines.
        const mapped = new Set(code.sourceMap.map((r) => r.nodeId));
        for (const n of project.graph.nodes)
          if (n.type !== 'Input' && n.type !== 'Target') expect(mapped.has(n.id), `${lang} ${n.id}`).toBe(true);
      });
});
