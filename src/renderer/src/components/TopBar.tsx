import type { ReactElement, ReactNode } from 'react';
import { runAction } from '../actions/registry';
import {
  FitIcon,
  LayoutIcon,
  LogoIcon,
  MoonIcon,
  PanelsIcon,
  PresenterIcon,
  RedoIcon,
  SunIcon,
  UndoIcon,
} from '../icons/Icons';
import { isDirty } from '../state/store';
import { useApp } from '../state/useApp';
import { MenuBar } from './MenuBar';

function ToolButton({
  action,
  title,
  children,
  disabled,
  pressed,
}: {
  action: string;
  title: string;
  children: ReactNode;
  disabled?: boolean;
  /** For on/off settings: shown pressed while on. */
  pressed?: boolean;
}): ReactElement {
  return (
    <button
      type="button"
      className={`tool-button${pressed ? ' pressed' : ''}`}
      aria-pressed={pressed}
      title={title}
      aria-label={title}
      disabled={disabled}
      data-testid={`tool-${action}`}
      onClick={() => void runAction(action)}
    >
      {children}
    </button>
  );
}

export function TopBar(): ReactElement {
  const { name, dirty, canUndo, canRedo, theme, presenter } = useApp((s) => ({
    name: s.file.name,
    dirty: isDirty(s),
    canUndo: s.history.past.length > 0,
    canRedo: s.history.future.length > 0,
    theme: s.ui.theme,
    presenter: s.ui.presenter,
  }));
  return (
    <header className="topbar">
      <div className="brand" title="Backprop Studio">
        <LogoIcon size={18} />
      </div>
      <MenuBar />
      <div className="doc-title" data-testid="doc-title" title={dirty ? 'Unsaved changes' : 'All changes saved'}>
        <span className="doc-name">{name}</span>
        {dirty && (
          <span className="dirty-mark" data-testid="dirty-mark" aria-label="unsaved changes">
            ●
          </span>
        )}
      </div>
      <div className="toolbar">
        <ToolButton action="edit.undo" title="Undo (Ctrl+Z)" disabled={!canUndo}>
          <UndoIcon />
        </ToolButton>
        <ToolButton action="edit.redo" title="Redo (Ctrl+Shift+Z)" disabled={!canRedo}>
          <RedoIcon />
        </ToolButton>
        <span className="toolbar-sep" />
        <ToolButton action="edit.autoLayout" title="Auto-layout left to right (Ctrl+Shift+L)">
          <LayoutIcon />
        </ToolButton>
        <ToolButton action="view.fit" title="Zoom to fit (Shift+1)">
          <FitIcon />
        </ToolButton>
        <ToolButton action="view.presenter" title="Presenter mode, for a projector (F8)" pressed={presenter}>
          <PresenterIcon />
        </ToolButton>
        <ToolButton action="view.togglePanels" title="Toggle panels (Ctrl+B)">
          <PanelsIcon />
        </ToolButton>
        <ToolButton action="view.toggleDarkMode" title={theme === 'dark' ? 'Light theme' : 'Dark theme'}>
          {theme === 'dark' ? <SunIcon /> : <MoonIcon />}
        </ToolButton>
      </div>
    </header>
  );
}
