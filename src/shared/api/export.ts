import { z } from 'zod';
import { method } from './method';
import { projectDocumentSchema } from './projects';

/** The Code tab's languages (the engine's CODE_LANGS; the host checks that the two lists agree). */
export const codeLangSchema = z.enum(['ts', 'ts-scratch', 'python']);
export type CodeLangId = z.infer<typeof codeLangSchema>;

/** The languages whose program Verify (session.verifyCode) runs: the host's verify runners. */
export const VERIFIABLE_LANGS: readonly CodeLangId[] = ['ts', 'ts-scratch'];

const request = z.object({ document: projectDocumentSchema, lang: codeLangSchema }).strict();

export const exportMethods = {
  /**
   * The generated program for the graph (model and training loop), and the lines each node wrote
   * (1-based, inclusive). A graph that cannot be exported answers `unavailable`, its `where` the
   * node at fault.
   */
  'export.code': method(
    request,
    z.object({
      lang: codeLangSchema,
      files: z.array(z.object({ path: z.string(), content: z.string() })),
      sourceMap: z.array(
        z.object({ nodeId: z.string(), file: z.string(), from: z.number().int(), to: z.number().int() }),
      ),
    }),
  ),
  /** Every file of the exported folder that runs offline (binary files in base64), and a folder name. */
  'export.folder': method(
    request,
    z.object({
      name: z.string(),
      files: z.array(z.object({ path: z.string(), content: z.string(), encoding: z.enum(['utf8', 'base64']) })),
    }),
  ),
};
