// The strict type-check of TypeScript-from-scratch exports, for the tests that export them (the
// engine's node types in scratchProgram.test.ts, custom nodes in host/workers/customExport.test.ts).
// Test support: imported by *.test.ts only, excluded from the build.
import ts from 'typescript';

/**
 * Type errors of the given files (by path; a list is named /scratch/caseK.ts), with the options an
 * exported folder is checked with: strict, no emit, ES2022, no libraries but ES2022's. `node`:
 * with Node's types (train.ts reads files). One compiler run over everything given: ~20 s on an
 * idle 2-core machine for the export cases, so callers give it a long hang guard.
 */
export function scratchTypeErrors(sources: readonly string[] | ReadonlyMap<string, string>, node = false): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: node ? ['node'] : [],
    lib: ['lib.es2022.d.ts'],
  };
  const files =
    sources instanceof Map ? sources : new Map((sources as string[]).map((s, k) => [`/scratch/case${k}.ts`, s]));
  const host = ts.createCompilerHost(options);
  const source = host.getSourceFile.bind(host);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  host.readFile = (f) => files.get(f) ?? read(f);
  host.fileExists = (f) => files.has(f) || exists(f);
  const dirExists = host.directoryExists?.bind(host);
  host.directoryExists = (d) => [...files.keys()].some((f) => f.startsWith(`${d}/`)) || (dirExists?.(d) ?? false);
  host.getSourceFile = (f, lang, ...rest) =>
    files.has(f) ? ts.createSourceFile(f, files.get(f)!, lang) : source(f, lang, ...rest);
  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}
