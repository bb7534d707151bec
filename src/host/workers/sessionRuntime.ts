// The engine side of a step session, inside its worker: the project, its validated graph,
// the step session and the training loop, exposed as named commands.
import { loadProjectValue } from '../../engine/graph/load';
import { validateGraph } from '../../engine/graph/validate';
import type { GraphAnalysis } from '../../engine/graph/validate';
import type { Project } from '../../engine/graph/schema';
import type { Checkpoint, SessionInit } from './sessionProtocol';
import { SessionError } from './workerErrors';

export interface RuntimeSink {
  emit(event: string, payload: unknown): void;
  checkpoint(checkpoint: Checkpoint): void;
}

export type Command = (params: unknown) => unknown;

export interface SessionRuntime {
  ready: Promise<void>;
  commands: Map<string, Command>;
}

export interface LoadedProject {
  project: Project;
  analysis: GraphAnalysis;
}

/** Loads and validates the session's project; an invalid graph cannot be stepped or trained. */
export function loadSessionProject(value: unknown, checkpoint: Checkpoint | null): LoadedProject {
  const loaded = loadProjectValue(value);
  if (!loaded.ok) throw new SessionError('invalid-request', loaded.error);
  let project = loaded.project;
  if (checkpoint !== null) {
    const weights: NonNullable<Project['weights']> = {};
    for (const [name, t] of Object.entries(checkpoint.weights)) weights[name] = { shape: t.shape, data: Array.from(t.data) };
    project = { ...project, weights };
  }
  const analysis = validateGraph(project.graph);
  if (!analysis.valid) {
    const first = analysis.issues.find((i) => i.severity === 'error');
    throw new SessionError('invalid-request', `The graph cannot run yet: ${first?.message ?? 'it has errors'}`, first?.nodeId);
  }
  return { project, analysis };
}

export function createSessionRuntime(init: SessionInit, sink: RuntimeSink): SessionRuntime {
  const loaded = loadSessionProject(init.project, init.checkpoint);
  void sink;
  const commands = new Map<string, Command>();
  commands.set('describe', () => ({
    name: loaded.project.name,
    order: [...loaded.analysis.order],
    losses: [...loaded.analysis.losses],
    edgeShapes: Object.fromEntries(Object.entries(loaded.analysis.edgeTypes).map(([id, t]) => [id, [...t.shape]])),
    step: init.checkpoint?.step ?? 0,
  }));
  return { ready: Promise.resolve(), commands };
}
