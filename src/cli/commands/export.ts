import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CodeLang } from '../../engine/codegen/generate';
import { CODE_LANGS } from '../../engine/codegen/generate';
import { ExportError } from '../../engine/codegen/program';
import { codeFolder } from '../../host/export/codeFolder';
import { requiredString } from '../args';
import type { Command } from '../command';
import { CliError } from '../errors';
import { readProject } from '../io';

export const exportCommand: Command = {
  name: 'export',
  usage: `export PROJECT --lang ${CODE_LANGS.join('|')} --out DIR`,
  summary: 'write the model and its training loop as a folder that runs offline (npm start, or python3 train.py)',
  options: { lang: { type: 'string' }, out: { type: 'string' } },
  positionals: ['PROJECT'],
  run: async (args, out) => {
    const file = args.positionals[0];
    const lang = requiredString('export', args, 'lang');
    if (!(CODE_LANGS as readonly string[]).includes(lang))
      throw new CliError(`export: unknown language "${lang}" (languages: ${CODE_LANGS.join(', ')})`, 2);
    const dir = requiredString('export', args, 'out');
    const { project } = readProject(file);
    let files;
    try {
      files = await codeFolder(project, lang as CodeLang, path.dirname(path.resolve(file)));
    } catch (e) {
      if (e instanceof ExportError) throw new CliError(`${file}: ${e.message}`);
      throw e;
    }
    try {
      for (const f of files) {
        const target = path.join(dir, f.path);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, f.content);
      }
    } catch (e) {
      throw new CliError(`cannot write ${dir}: ${(e as Error).message}`);
    }
    out.stdout(JSON.stringify({ lang, out: dir, files: files.map((f) => f.path) }));
    return 0;
  },
};
