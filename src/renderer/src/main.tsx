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

exposeTestHooks();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
