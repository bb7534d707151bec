import { z } from 'zod';
import { method } from './method';
import { loadIssueSchema, projectDocumentSchema } from './projects';

/** What a gallery card draws of an example's graph: its nodes' types and places, and its wires. */
export const exampleThumbnailSchema = z.object({
  nodes: z.array(z.object({ id: z.string(), type: z.string(), x: z.number(), y: z.number() })),
  edges: z.array(z.object({ source: z.string(), target: z.string() })),
});

export const exampleInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** The course topic on the card ("Perceptron"); empty for an example the gallery index omits. */
  topic: z.string(),
  /** The card's one line. */
  summary: z.string(),
  /** What training the example with its settings gives (tested). */
  result: z.string(),
  thumbnail: exampleThumbnailSchema,
});

export const examplesMethods = {
  /** The bundled course examples (resources/examples), in course order (resources/examples/gallery/index.json). */
  'examples.list': method(z.object({}).strict(), z.object({ examples: z.array(exampleInfoSchema) })),
  /** An example's document; it opens as a new, unsaved project. */
  'examples.open': method(
    z.object({ id: z.string().min(1).max(200) }).strict(),
    z.object({ id: z.string(), title: z.string(), document: projectDocumentSchema, issues: z.array(loadIssueSchema) }),
  ),
};
