import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import { shortcutLabel } from '../actions/keys';
import { getAction, runAction } from '../actions/registry';
import type { AppState } from '../state/appState';
import { getState } from '../state/store';
import { selectedRecurrent } from '../unrolled/recurrentNodes';

export interface ContextMenuState {
  x: number;
  y: number;
  /** What was right-clicked: a node or connection (already selected), or the empty canvas. */
  target: 'selection' | 'pane';
}

const ENTRIES: Readonly<Record<ContextMenuState['target'], readonly string[]>> = {
  selection: ['view.unrollThroughTime', 'edit.duplicate', 'edit.copy', 'edit.cut', 'edit.delete', 'step.expandOps'],
  pane: ['edit.paste', 'edit.selectAll', 'edit.autoLayout', 'view.fit'],
};
/** Entries about one kind of node, left out (not greyed) when the selection is not of that kind. */
const ONLY_FOR: Readonly<Record<string, (s: AppState) => boolean>> = {
  'view.unrollThroughTime': (s) => selectedRecurrent(s) !== null,
  'step.expandOps': (s) => s.selection.nodes.length === 1,
};

/** The canvas's right-click menu: the same registered actions as the menu bar. */
export function ContextMenu({ menu, onClose }: { menu: ContextMenuState; onClose: () => void }): ReactElement {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const down = (e: MouseEvent): void => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    const key = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('mousedown', down, true);
    window.addEventListener('keydown', key, true);
    window.addEventListener('blur', onClose);
    return () => {
      window.removeEventListener('mousedown', down, true);
      window.removeEventListener('keydown', key, true);
      window.removeEventListener('blur', onClose);
    };
  }, [onClose]);
  const state = getState();
  return (
    <div
      ref={ref}
      className="menu context-menu"
      role="menu"
      style={{ left: menu.x, top: menu.y }}
      data-testid="context-menu"
    >
      {ENTRIES[menu.target].map((name) => {
        const action = getAction(name);
        if (!action) return null;
        if (ONLY_FOR[name] && !ONLY_FOR[name](state)) return null;
        return (
          <button
            key={name}
            type="button"
            role="menuitem"
            className="menu-entry"
            data-testid={`context-${name}`}
            disabled={action.enabled ? !action.enabled(state) : false}
            onClick={() => {
              onClose();
              void runAction(name);
            }}
          >
            <span className="menu-label">{action.label}</span>
            {action.shortcut && <span className="menu-shortcut">{shortcutLabel(action.shortcut)}</span>}
          </button>
        );
      })}
    </div>
  );
}
