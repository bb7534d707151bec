import { useEffect, useState } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { allActions } from '../actions/registry';
import { shortcutLabel, shortcutOf } from '../actions/keys';
import { CloseIcon } from '../icons/Icons';
import type { Dialog } from '../state/appState';
import { openDialog } from '../state/store';
import { useApp } from '../state/useApp';
import { ExampleGallery } from '../gallery/ExampleGallery';
import '../gallery/gallery.css';

function Modal({
  title,
  onClose,
  children,
  testId,
  wide,
  className,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId: string;
  wide?: boolean;
  className?: string;
}): ReactElement {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className={`modal${wide ? ' wide' : ''}${className ? ` ${className}` : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid={testId}
      >
        <div className="modal-header">
          <h2>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            <CloseIcon />
          </button>
        </div>
        <div className="modal-body">{children}</div>
      </div>
    </div>
  );
}

const CANVAS_SHORTCUTS: readonly [string, string][] = [
  ['Drag on empty canvas', 'Pan'],
  ['Shift+Drag', 'Box selection'],
  ['Ctrl+Click', 'Add to selection'],
  ['Wheel', 'Zoom'],
  ['Backspace', 'Delete selection'],
  ['Double-click a palette item', 'Add it at the centre'],
  ['Arrow keys', 'Move the selected nodes'],
  ['Right-click', 'Commands for what is under the pointer'],
];

function ShortcutsSheet(): ReactElement {
  const mode = useApp((s) => s.host.mode);
  const groups = new Map<string, { label: string; shortcut: string }[]>();
  for (const a of allActions()) {
    const shortcut = shortcutOf(a, mode);
    if (!shortcut) continue;
    const g = a.name.split('.')[0];
    const list = groups.get(g) ?? [];
    list.push({ label: a.label, shortcut: shortcutLabel(shortcut) });
    groups.set(g, list);
  }
  const title: Record<string, string> = { file: 'File', edit: 'Edit', view: 'View', step: 'Step', help: 'Help' };
  return (
    <div className="shortcuts-grid">
      {mode === 'browser' && (
        <p className="shortcuts-note" data-testid="shortcuts-browser-note">
          In the browser, {shortcutLabel('Ctrl+N')} opens a browser window and no page may take it: <b>New</b> is{' '}
          {shortcutLabel('Ctrl+Alt+N')} here. The page asks the browser to leave it {shortcutLabel('Ctrl+O')}, F5 (and
          Shift+F5, {shortcutLabel('Ctrl+Shift+F5')}), F10 and the zoom keys, so they run the app’s commands rather than
          open a file, reload or zoom the page.
        </p>
      )}
      {[...groups].map(([g, list]) => (
        <section key={g}>
          <h3>{title[g] ?? g}</h3>
          <dl>
            {list.map((s) => (
              <div key={s.label} className="shortcut-row">
                <dt>{s.label}</dt>
                <dd>
                  <kbd>{s.shortcut}</kbd>
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
      <section>
        <h3>Canvas</h3>
        <dl>
          {CANVAS_SHORTCUTS.map(([k, v]) => (
            <div key={k} className="shortcut-row">
              <dt>{v}</dt>
              <dd>
                <kbd>{shortcutLabel(k)}</kbd>
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}

function PromptModal({ dialog }: { dialog: Extract<Dialog, { kind: 'prompt' }> }): ReactElement {
  const [value, setValue] = useState(dialog.value);
  const ok = (): void => dialog.resolve(value.trim() || null);
  return (
    <Modal title={dialog.title} onClose={() => dialog.resolve(null)} testId="prompt-dialog">
      <p>{dialog.message}</p>
      <input
        className="text-input wide"
        data-testid="prompt-input"
        autoFocus
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') ok();
        }}
      />
      <div className="modal-actions">
        <button type="button" className="button" onClick={() => dialog.resolve(null)}>
          Cancel
        </button>
        <button type="button" className="button primary" data-testid="prompt-ok" onClick={ok}>
          {dialog.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}

/** Renders whichever modal the store says is open. */
export function Dialogs(): ReactElement | null {
  const { dialog, version, mode } = useApp((s) => ({
    dialog: s.ui.dialog,
    version: s.host.version,
    mode: s.host.mode,
  }));
  if (!dialog) return null;
  const close = (): void => openDialog(null);
  switch (dialog.kind) {
    case 'shortcuts':
      return (
        <Modal title="Keyboard Shortcuts" onClose={close} testId="shortcuts-dialog" wide>
          <ShortcutsSheet />
        </Modal>
      );
    case 'about':
      return (
        <Modal title="About Backprop Studio" onClose={close} testId="about-dialog">
          <p>
            A desktop IDE for learning neural networks by wiring them: build a network, step through its forward and
            backward passes, train it and export it as code.
          </p>
          <p className="muted">
            Version {version ?? 'unknown'}
            {mode ? ` · ${mode} mode` : ''}
          </p>
          <p data-testid="about-digits">
            <strong>Data.</strong> The digits are the test set of the UCI Machine Learning Repository&apos;s
            &ldquo;Optical Recognition of Handwritten Digits&rdquo; (E. Alpaydin and C. Kaynak, 1998;
            doi:10.24432/C50P49), licensed under Creative Commons Attribution 4.0 International, as packaged by
            scikit-learn (BSD-3-Clause). The other built-in data sets are generated by the app from a seed.
          </p>
        </Modal>
      );
    case 'examples':
      return (
        <Modal
          title={dialog.welcome ? 'Welcome to Backprop Studio' : 'Open Example'}
          onClose={close}
          testId="examples-dialog"
          className="gallery-modal"
        >
          <ExampleGallery welcome={dialog.welcome === true} />
        </Modal>
      );
    case 'prompt':
      return <PromptModal dialog={dialog} />;
    case 'confirm':
      return (
        <Modal title={dialog.title} onClose={() => dialog.resolve(false)} testId="confirm-dialog">
          <p>{dialog.message}</p>
          <div className="modal-actions">
            <button type="button" className="button" data-testid="confirm-cancel" onClick={() => dialog.resolve(false)}>
              {dialog.cancelLabel}
            </button>
            <button
              type="button"
              className="button primary"
              data-testid="confirm-ok"
              autoFocus
              onClick={() => dialog.resolve(true)}
            >
              {dialog.confirmLabel}
            </button>
          </div>
        </Modal>
      );
  }
}
