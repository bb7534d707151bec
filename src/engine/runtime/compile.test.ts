import { describe, expect, it } from 'vitest';
import { newProject } from '../graph/schema';
import type { Project } from '../graph/schema';
import { xorGraph } from '../graph/testGraphs.test-support';
import { compileProject, dumpWeights, ProjectCompileError } from './compile';

const xor = (seed: number): Project => ({
  ...newProject('XOR'),
  graph: xorGraph(),
  training: { ...newProject().training, seed },
});

describe('compileProject', () => {
  it('takes the given weights, else the project’s own, else the training seed’s initialisation', () => {
    const seeded = dumpWeights(compileProject(xor(3)));
    expect(dumpWeights(compileProject(xor(3)))).toEqual(seeded);
    const other = dumpWeights(compileProject(xor(4)));
    expect(other['fc1.weight'].data).not.toEqual(seeded['fc1.weight'].data);
    expect(dumpWeights(compileProject({ ...xor(3), weights: other }))).toEqual(other);
    expect(dumpWeights(compileProject({ ...xor(3), weights: other }, { weights: seeded }))).toEqual(seeded);
    expect(dumpWeights(compileProject(xor(3), { seed: 4 }))).toEqual(other);
    expect(compileProject(xor(3), { dtype: 'float64' }).dtype).toBe('float64');
  });

  it('refuses a graph that cannot run with every issue, the first as its message, naming the node', () => {
    const p = xor(0);
    const broken: Project = { ...p, graph: { ...p.graph, edges: p.graph.edges.filter((e) => e.target !== 'fc2') } };
    let caught: unknown;
    try {
      compileProject(broken);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ProjectCompileError);
    const err = caught as ProjectCompileError;
    expect(err.issues.length).toBeGreaterThan(0);
    expect(err.message).toBe(err.issues[0].message);
    expect(err.nodeId).toBe(err.issues[0].nodeId);
    expect(err.nodeId).toBeDefined();
  });
});
