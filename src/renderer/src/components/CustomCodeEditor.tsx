import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import * as monaco from 'monaco-editor/editor';
import { ScriptTarget, typescriptDefaults } from 'monaco-editor/languages/features/typescript/register';
import TsWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker';
import { customDts } from '../../../engine/graph/customApi';
import './MonacoView';

// The Code tab's setup (MonacoView: bundled workers, no network) plus TypeScript's language
// service, given the ops' declarations, for completions and type errors while the student types.
const env = (self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment;
const base = env.getWorker!.bind(env);
env.getWorker = (id: string, label: string) =>
  label === 'typescript' || label === 'javascript' ? new TsWorker() : base(id, label);
typescriptDefaults.addExtraLib(customDts(), 'ts:backprop-custom-node.d.ts');
// The Code tab shows generated programs whose imports this editor cannot resolve: they stay unflagged.
typescriptDefaults.addExtraLib("declare module '*';", 'ts:backprop-any-module.d.ts');
typescriptDefaults.setCompilerOptions({
  target: ScriptTarget.ES2020,
  strict: true,
  noEmit: true,
  lib: ['es2022'],
  allowNonTsExtensions: true,
});

interface Props {
  /** The model's identity: one per node. */
  readonly nodeId: string;
  readonly value: string;
  readonly theme: 'light' | 'dark';
  /** The worker's error, drawn as a marker on its line. */
  readonly error: { readonly message: string; readonly line?: number; readonly column?: number } | null;
  readonly onChange: (code: string) => void;
}

/** The custom node's code editor: TypeScript with the ops' types; the worker's error marked on its line. */
export default function CustomCodeEditor({ nodeId, value, theme, error, onChange }: Props): ReactElement {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const change = useRef(onChange);
  useEffect(() => {
    change.current = onChange;
  }, [onChange]);

  useEffect(() => {
    if (!host.current) return;
    const uri = monaco.Uri.parse(`file:///custom/${encodeURIComponent(nodeId)}.ts`);
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(value, 'typescript', uri);
    const e = monaco.editor.create(host.current, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 12,
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      tabSize: 2,
      fixedOverflowWidgets: true,
      wordWrap: 'on',
      wrappingIndent: 'indent',
    });
    editor.current = e;
    const sub = e.onDidChangeModelContent(() => change.current(e.getValue()));
    return () => {
      sub.dispose();
      e.dispose();
      model.dispose();
      editor.current = null;
    };
    // The model is made once per node; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [nodeId]);

  // An undo or a load replaces the code: the editor follows the document.
  useEffect(() => {
    const e = editor.current;
    if (e && e.getValue() !== value) e.setValue(value);
  }, [value]);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme]);

  useEffect(() => {
    const model = editor.current?.getModel();
    if (!model) return;
    const markers: monaco.editor.IMarkerData[] =
      error?.line !== undefined
        ? [
            {
              severity: monaco.MarkerSeverity.Error,
              message: error.message,
              startLineNumber: error.line,
              startColumn: error.column ?? 1,
              endLineNumber: error.line,
              endColumn: model.getLineMaxColumn(Math.min(error.line, model.getLineCount())),
            },
          ]
        : [];
    monaco.editor.setModelMarkers(model, 'custom-node', markers);
  }, [error, value]);

  return <div className="custom-code-editor" ref={host} data-testid="custom-code-editor" />;
}
