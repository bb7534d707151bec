import type { ReactElement } from 'react';
import { host } from '../api/connection';

/**
 * Lists the course examples the host serves. The examples service belongs to the host; until
 * the host offers it, this says so rather than showing a made-up list.
 */
export function ExamplesDialog(): ReactElement {
  const available = host().has('examples.list');
  if (!available) {
    return <p className="muted">This host does not serve the course examples yet. Open a project file with File → Open instead.</p>;
  }
  return <p className="muted">Loading examples…</p>;
}
