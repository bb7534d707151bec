import { newProject } from '../../../engine/graph/schema';
import type { GraphEdge, GraphNode, Project } from '../../../engine/graph/schema';

/** The document the editor edits: the engine's project file, unchanged. */
export type GraphDoc = Project;
export type DocNode = GraphNode;
export type DocEdge = GraphEdge;

export function emptyDoc(name = 'Untitled'): GraphDoc {
  return newProject(name);
}
