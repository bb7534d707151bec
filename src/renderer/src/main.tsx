import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './actions/registerAll';
import { App } from './App';
import { exposeTestHooks } from './testHooks';
import './styles/theme.css';
import './styles/layout.css';
import './styles/canvas.css';
import './styles/panels.css';
import './styles/presenter.css';

// The end-to-end tests' handle, in test builds only (scripts/e2e.mjs builds with
// RENDERER_VITE_TEST_HOOKS=1): a production build leaves testHooks.ts out altogether.
if (import.meta.env.RENDERER_VITE_TEST_HOOKS === '1') exposeTestHooks();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
