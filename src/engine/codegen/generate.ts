// Code generation's entry: a project in one of its languages, as the files the Code tab
// shows, with the lines each node wrote.
import type { Project } from '../graph/schema';
import { engineTsProgram } from './tsProgram';
import { pytorchProgram } from './pyProgram';
import { scratchProgram } from './scratchProgram';
import type { GeneratedFile, SourceRange } from './sourceMap';

/** The languages of the Code tab and of `backprop-studio export --lang`. */
export const CODE_LANGS = ['ts', 'ts-scratch', 'python'] as const;
export type CodeLang = (typeof CODE_LANGS)[number];

export const CODE_LANG_TITLES: Readonly<Record<CodeLang, string>> = {
  ts: 'TypeScript (engine)',
  'ts-scratch': 'TypeScript (from scratch)',
  python: 'PyTorch',
};

export interface GeneratedCode {
  readonly lang: CodeLang;
  /** The program's own files, the model first. */
  readonly files: readonly GeneratedFile[];
  /** The lines each node wrote (in the model file). */
  readonly sourceMap: readonly SourceRange[];
}

/**
 * Generates the program for a project. Throws ExportError (from ./program) (naming the node) when the graph is
 * invalid or holds a node type that cannot be written in that language.
 */
export function generateCode(project: Project, lang: CodeLang): GeneratedCode {
  const p =
    lang === 'python'
      ? pytorchProgram(project)
      : lang === 'ts-scratch'
        ? scratchProgram(project)
        : engineTsProgram(project);
  return { lang, files: p.files, sourceMap: p.ranges };
}
