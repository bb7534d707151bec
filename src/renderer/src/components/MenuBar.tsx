import { useEffect, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import { getAction, runAction } from '../actions/registry';
import { shortcutLabel, shortcutOf } from '../actions/keys';
import { useApp } from '../state/useApp';

type Entry = string | '-' | { recent: true };

/** The in-app menu: the same commands as Electron's native menu, so browser mode has them too. */
const MENUS: readonly { id: string; label: string; entries: readonly Entry[] }[] = [
  {
    id: 'file',
    label: 'File',
    entries: ['file.new', 'file.open', { recent: true }, 'file.openExample', '-', 'file.save', 'file.saveAs'],
  },
  {
    id: 'edit',
    label: 'Edit',
    entries: [
      'edit.undo',
      'edit.redo',
      '-',
      'edit.cut',
      'edit.copy',
      'edit.paste',
      'edit.duplicate',
      'edit.delete',
      '-',
      'edit.selectAll',
      'edit.autoLayout',
    ],
  },
  {
    id: 'view',
    label: 'View',
    entries: [
      'view.zoomIn',
      'view.zoomOut',
      'view.fit',
      '-',
      'view.presenter',
      'view.togglePanels',
      'view.toggleDarkMode',
      '-',
      'view.livePreview',
      'view.livePreviewGradients',
      '-',
      'view.unrollThroughTime',
    ],
  },
  {
    id: 'step',
    label: 'Step',
    entries: [
      'step.forward',
      'step.backward',
      '-',
      'step.runForward',
      'step.runBackward',
      '-',
      'step.applyUpdate',
      'step.reset',
      '-',
      'step.toggleView',
    ],
  },
  { id: 'help', label: 'Help', entries: ['help.shortcuts', 'help.about'] },
];

export function MenuBar(): ReactElement {
  const [open, setOpen] = useState<string | null>(null);
  const bar = useRef<HTMLDivElement>(null);
  // Subscribe to the whole state only while a menu is open (to grey out disabled commands).
  const state = useApp((s) => (open ? s : null));
  const recent = useApp((s) => s.recent);
  const mode = useApp((s) => s.host.mode);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent): void => {
      if (!bar.current?.contains(e.target as Node)) setOpen(null);
    };
    // Keyboard: Escape closes, up/down walk the entries, left/right switch menus.
    const esc = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        setOpen(null);
        return;
      }
      const entries = [...(bar.current?.querySelectorAll<HTMLButtonElement>('.menu .menu-entry:not(:disabled)') ?? [])];
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        e.stopPropagation();
        const i = entries.indexOf(document.activeElement as HTMLButtonElement);
        const next = e.key === 'ArrowDown' ? (i + 1) % entries.length : (i - 1 + entries.length) % entries.length;
        entries[i < 0 && e.key === 'ArrowUp' ? entries.length - 1 : next]?.focus();
      } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        e.stopPropagation();
        const ids = MENUS.map((m) => m.id);
        const i = ids.indexOf(open);
        setOpen(ids[(i + (e.key === 'ArrowRight' ? 1 : ids.length - 1)) % ids.length]);
      }
    };
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', esc, true);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', esc, true);
    };
  }, [open]);

  const run = (name: string, arg?: unknown): void => {
    setOpen(null);
    void runAction(name, arg);
  };

  return (
    <div className="menubar" ref={bar} role="menubar">
      {MENUS.map((menu) => (
        <div key={menu.id} className="menubar-item">
          <button
            type="button"
            className={`menubar-button${open === menu.id ? ' open' : ''}`}
            data-testid={`menu-${menu.id}`}
            onClick={() => setOpen(open === menu.id ? null : menu.id)}
            onMouseEnter={() => open && setOpen(menu.id)}
          >
            {menu.label}
          </button>
          {open === menu.id && (
            <div className="menu" role="menu">
              {menu.entries.map((entry, i) => {
                if (entry === '-') return <div key={i} className="menu-sep" />;
                if (typeof entry === 'object') {
                  return (
                    <div key="recent" className="menu-group">
                      <div className="menu-heading">Open Recent</div>
                      {recent.length === 0 && <div className="menu-empty">No recent files</div>}
                      {recent.map((r) => (
                        <button
                          key={r.handle}
                          type="button"
                          role="menuitem"
                          className="menu-entry"
                          title={r.handle}
                          onClick={() => run('file.openRecent', r)}
                        >
                          <span className="menu-label">{r.name}</span>
                        </button>
                      ))}
                    </div>
                  );
                }
                const action = getAction(entry);
                if (!action) return null;
                const enabled = action.enabled && state ? action.enabled(state) : true;
                const checked = action.checked && state ? action.checked(state) : undefined;
                const shortcut = shortcutOf(action, mode);
                return (
                  <button
                    key={entry}
                    type="button"
                    role={checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
                    aria-checked={checked}
                    className={`menu-entry${checked ? ' checked' : ''}`}
                    disabled={!enabled}
                    data-testid={`menuitem-${entry}`}
                    onClick={() => run(entry)}
                  >
                    <span className="menu-label">{action.label}</span>
                    {shortcut && <span className="menu-shortcut">{shortcutLabel(shortcut)}</span>}
                  </button>
                );
              })}
            </div>
          )}
        </div>
      ))}
    </div>
  );
}
