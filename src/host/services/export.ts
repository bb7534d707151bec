// The export service. Code generation (graph → TypeScript / PyTorch) belongs to the engine's
// codegen module; until that module provides a generator this answers with a typed
// `unavailable` error rather than code that would not compute what the canvas computes.
import { HostError } from '../errors';
import type { Handlers } from '../host';
import { requireProject } from './projects';

export function exportHandlers(): Pick<Handlers, 'export.code'> {
  return {
    'export.code': async ({ document, lang }) => {
      requireProject(document);
      throw new HostError(
        'unavailable',
        `Code export to ${lang === 'ts' ? 'TypeScript' : 'Python'} is not available in this version yet.`,
      );
    },
  };
}
