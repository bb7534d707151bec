import type { ReactElement } from 'react';
import { CloseIcon } from '../icons/Icons';
import { dismissToast } from '../state/store';
import { useApp } from '../state/useApp';

export function Toasts(): ReactElement {
  const toasts = useApp((s) => s.ui.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div
          key={t.id}
          className={`toast ${t.kind}`}
          role={t.kind === 'error' ? 'alert' : 'status'}
          data-testid="toast"
        >
          <span>{t.message}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
            <CloseIcon size={12} />
          </button>
        </div>
      ))}
    </div>
  );
}
