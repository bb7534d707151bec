import { createBrowserDocuments } from './browserDocuments';
import type { DocumentService } from './documentService';

let service: DocumentService | undefined;

/**
 * The document service this window uses. Until the host serves `projects.*`, every mode uses
 * the browser implementation (download/upload); switching is this one function.
 */
export function documents(): DocumentService {
  service ??= createBrowserDocuments();
  return service;
}
