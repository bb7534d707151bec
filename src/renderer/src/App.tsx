import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useLayoutEffect } from 'react';
import type { ReactElement } from 'react';
import { Canvas } from './canvas/Canvas';
import { BottomPanel } from './components/BottomPanel';
import { Dialogs } from './components/Dialogs';
import { ExplanationPanel } from './gallery/ExplanationPanel';
import { Inspector } from './components/Inspector';
import { Palette } from './components/Palette';
import { StatusBar } from './components/StatusBar';
import { Toasts } from './components/Toasts';
import { TopBar } from './components/TopBar';
import { useDocumentSafety } from './hooks/useDocumentSafety';
import { useGlobalShortcuts } from './hooks/useGlobalShortcuts';
import { useHostConnection } from './hooks/useHostConnection';
import { watchCustomNodes } from './state/customChecks';
import { isDirty } from './state/store';
import { useApp } from './state/useApp';
import { StepInspector } from './step/StepInspector';
import { TimeTravelBar } from './training/TimeTravelBar';

/** The IDE frame; each region is its own component. */
export function App(): ReactElement {
  const { theme, presenter, panelsVisible, title, travel } = useApp((s) => ({
    theme: s.ui.theme,
    presenter: s.ui.presenter,
    panelsVisible: s.ui.panelsVisible,
    title: `${isDirty(s) ? '● ' : ''}${s.file.name} — Backprop Studio`,
    travel: s.training.travel.open,
  }));
  useGlobalShortcuts();
  useHostConnection();
  useDocumentSafety();
  useEffect(() => watchCustomNodes(), []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  // Before any effect of the canvas: its fit measures the layout presenter mode gives it.
  useLayoutEffect(() => {
    document.documentElement.dataset.presenter = String(presenter);
  }, [presenter]);
  useEffect(() => {
    document.title = title;
  }, [title]);

  return (
    <ReactFlowProvider>
      <div className="app">
        <TopBar />
        <div className={`workspace${panelsVisible ? '' : ' panels-hidden'}`}>
          <Palette />
          <div className={`center${travel ? ' with-travel' : ''}`}>
            <Canvas />
            <TimeTravelBar />
            <BottomPanel />
            <StepInspector />
          </div>
          <div className="right-stack">
            <ExplanationPanel />
            <Inspector />
          </div>
        </div>
        <StatusBar />
      </div>
      <Dialogs />
      <Toasts />
    </ReactFlowProvider>
  );
}
