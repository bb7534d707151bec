// The export service: the generated program for the Code tab, and the files of an exported
// folder. Generation itself is the engine's (codegen); the folder's extras are host/export's.
import type { CodeLang } from '../../engine/codegen/generate';
import { generateCode } from '../../engine/codegen/generate';
import { ExportError } from '../../engine/codegen/program';
import type { CodeLangId } from '../../shared/api/export';
import { HostError } from '../errors';
import { codeFolder } from '../export/codeFolder';
import type { Handlers } from '../host';
import { requireProject } from './projects';

// The contract's list and the engine's are the same languages.
const sameLangs: [CodeLang, CodeLangId] extends [CodeLangId, CodeLang] ? true : never = true;
void sameLangs;

async function exporting<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ExportError) throw new HostError('unavailable', e.message, e.nodeId);
    throw e;
  }
}

export function exportHandlers(): Pick<Handlers, 'export.code' | 'export.folder'> {
  return {
    'export.code': async ({ document, lang }) => {
      const { project } = requireProject(document);
      const code = await exporting(() => generateCode(project, lang));
      return { lang, files: [...code.files], sourceMap: [...code.sourceMap] };
    },
    'export.folder': async ({ document, lang }) => {
      const { project } = requireProject(document);
      const files = await exporting(() => codeFolder(project, lang));
      const name = `${(project.name || 'model').replace(/[^\w.-]+/g, '-')}-${lang}`;
      return {
        name,
        files: files.map((f) =>
          typeof f.content === 'string'
            ? { path: f.path, content: f.content, encoding: 'utf8' as const }
            : { path: f.path, content: Buffer.from(f.content).toString('base64'), encoding: 'base64' as const },
        ),
      };
    },
  };
}
