import { host } from '../api/connection';
import { createBrowserDocuments } from './browserDocuments';
import type { DocumentService } from './documentService';
import { createHostDocuments } from './hostDocuments';

let service: DocumentService | undefined;

/**
 * The document service this window uses: the host's project service when the host offers it
 * (desktop and browser mode alike), else plain download/upload in the browser. Switching is
 * this one function.
 */
export function documents(): DocumentService {
  const api = host();
  service ??= api.has('projects.save') ? createHostDocuments(api) : createBrowserDocuments();
  return service;
}
