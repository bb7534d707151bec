import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/features/json/register';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/python/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
import { changedLines } from '../code/codeLines';

// Workers are bundled by Vite from the package (no CDN loader, nothing fetched from the network).
(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    return label === 'json' ? new JsonWorker() : new EditorWorker();
  },
};

/** How long lines changed by a regeneration stay highlighted. */
const FLASH_MS = 1500;

interface Props {
  value: string;
  language: 'json' | 'typescript' | 'python';
  theme: 'light' | 'dark';
  /** Line ranges to select and highlight (the selected nodes' code); scrolled into view when they change. */
  selected?: readonly { from: number; to: number }[];
  /** A click on a line (1-based). */
  onLineClick?: (line: number) => void;
}

/**
 * A read-only Monaco editor; loaded lazily with the Code tab so the first paint stays light. A new
 * value keeps the scroll position and flashes the lines that changed.
 */
export default function MonacoView({ value, language, theme, selected, onLineClick }: Props): ReactElement {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const flash = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const marks = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const click = useRef(onLineClick);
  useEffect(() => {
    click.current = onLineClick;
  }, [onLineClick]);

  useEffect(() => {
    if (!host.current) return;
    const e = monaco.editor.create(host.current, {
      value: '',
      language,
      readOnly: true,
      domReadOnly: true,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 12,
      scrollBeyondLastLine: false,
      renderLineHighlight: 'none',
      tabSize: 2,
    });
    editor.current = e;
    flash.current = e.createDecorationsCollection();
    marks.current = e.createDecorationsCollection();
    const sub = e.onMouseDown((ev) => {
      const line = ev.target.position?.lineNumber;
      if (line !== undefined) click.current?.(line);
    });
    return () => {
      sub.dispose();
      e.getModel()?.dispose();
      e.dispose();
      editor.current = null;
    };
  }, [language]);

  useEffect(() => {
    const e = editor.current;
    if (!e || e.getValue() === value) return;
    const prev = e.getValue();
    const top = e.getScrollTop();
    e.setValue(value);
    e.setScrollTop(top);
    const changed = changedLines(prev === '' ? null : prev, value);
    if (!changed) return;
    flash.current?.set([
      {
        range: new monaco.Range(changed.from, 1, changed.to, 1),
        options: { isWholeLine: true, className: 'code-changed-line' },
      },
    ]);
    const t = setTimeout(() => flash.current?.clear(), FLASH_MS);
    return () => clearTimeout(t);
  }, [value, language]);

  const key = (selected ?? []).map((r) => `${r.from}-${r.to}`).join(',');
  useEffect(() => {
    const e = editor.current;
    if (!e) return;
    const ranges = (selected ?? []).map((r) => new monaco.Range(r.from, 1, r.to, Number.MAX_SAFE_INTEGER));
    marks.current?.set(ranges.map((range) => ({ range, options: { isWholeLine: true, className: 'code-node-line' } })));
    if (ranges.length > 0) {
      e.setSelections(ranges.map((r) => new monaco.Selection(r.startLineNumber, 1, r.endLineNumber, r.endColumn)));
      // The last range: the node's forward step where its fields come first (engine TypeScript,
      // PyTorch), its backward step in the from-scratch program.
      e.revealRangeInCenterIfOutsideViewport(ranges[ranges.length - 1]);
    }
    // `key` stands for `selected` (a new array each render with the same lines).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, value, language]);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme]);

  return <div ref={host} className="monaco-host" data-testid="code-editor" />;
}
