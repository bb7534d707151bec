import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The import graph of src has no cycles between folders (docs/architecture.md): a new cycle
 * between two folders of the engine or of the app fails here, naming it. Type-only imports
 * count too — a type cycle still ties two folders together.
 */
const SRC = fileURLToPath(new URL('../src', import.meta.url));
const SPEC =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every non-test source file under src, as a path relative to src. */
function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path.relative(SRC, p)] : [];
  });
}

/** The folder a file belongs to for this check: engine/<folder>, else the app folder. */
function unit(file: string): string {
  const parts = file.split(path.sep);
  if (parts[0] === 'engine') return parts.length > 2 ? `engine/${parts[1]}` : 'engine';
  return parts[0];
}

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sources()) {
    const from = unit(file);
    const text = readFileSync(path.join(SRC, file), 'utf8');
    for (const m of text.matchAll(SPEC)) {
      const target = path.normalize(path.join(path.dirname(file), m[1] ?? m[2]));
      if (target.startsWith('..')) continue;
      const to = unit(target);
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** The cycles of a directed graph, each as its strongly connected set of nodes (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('import cycles', () => {
  it('finds a cycle when there is one', () => {
    const g = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
  });

  it('has no cycle between folders of src (engine folders counted one by one)', () => {
    expect(cycles(folderGraph()).map((c) => c.join(' ⇄ '))).toEqual([]);
  });
});
