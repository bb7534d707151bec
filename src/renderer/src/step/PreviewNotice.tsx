import type { ReactElement } from 'react';
import { useApp } from '../state/useApp';
import { describeBatch } from './batchChoice';

/**
 * The live preview's line on the canvas: which examples the glyphs show, that an edit is being
 * previewed, or why the graph cannot run (its glyphs are then greyed, never shown as current).
 */
export function PreviewNotice(): ReactElement | null {
  const { on, state, reason, shown, hasGlyphs } = useApp((s) => ({
    on: s.ui.livePreview.on,
    state: s.run.preview.state,
    reason: s.run.preview.reason,
    shown: s.run.previewPass && s.run.loaded ? `${describeBatch(s.run.loaded.indices)} (${s.run.loaded.split})` : null,
    hasGlyphs: Object.keys(s.run.edges).length > 0,
  }));
  if (!on || nothingToSay(state, shown, hasGlyphs)) return null;
  const text =
    state === 'blocked'
      ? `Live preview paused: ${reason ?? 'the graph cannot run'}`
      : state === 'waiting'
        ? 'Live preview: updating…'
        : `Live preview of ${shown}`;
  return (
    <div className={`preview-notice ${state}`} role="status" data-testid="preview-notice" data-state={state}>
      {text}
    </div>
  );
}

/** Nothing to say: no preview shown and nothing greyed. */
function nothingToSay(state: string, shown: string | null, hasGlyphs: boolean): boolean {
  if (state === 'blocked') return false;
  if (state === 'waiting') return !hasGlyphs;
  return shown === null;
}
