import { z } from 'zod';
import { method } from './method';
import { loadIssueSchema, projectDocumentSchema } from './projects';

export const exampleInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
});

export const examplesMethods = {
  /** The bundled course examples (resources/examples), in course order. */
  'examples.list': method(z.object({}).strict(), z.object({ examples: z.array(exampleInfoSchema) })),
  /** An example's document; it opens as a new, unsaved project. */
  'examples.open': method(
    z.object({ id: z.string().min(1).max(200) }).strict(),
    z.object({ id: z.string(), title: z.string(), document: projectDocumentSchema, issues: z.array(loadIssueSchema) }),
  ),
};
