import { z } from 'zod';
import { method } from './method';
import { projectDocumentSchema } from './projects';

export const exportMethods = {
  /** Generated source for the graph (model and training loop), as files of a runnable folder. */
  'export.code': method(
    z.object({ document: projectDocumentSchema, lang: z.enum(['ts', 'python']) }).strict(),
    z.object({ lang: z.enum(['ts', 'python']), files: z.array(z.object({ path: z.string(), content: z.string() })) }),
  ),
};
