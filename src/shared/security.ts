/**
 * The one Content-Security-Policy of the app, sent by Electron (response headers) and the web
 * host, and mirrored in the renderer's index.html meta tag. Nothing is loaded from any remote
 * origin: scripts, styles, fonts and workers are bundled. Inline style attributes are allowed
 * because React Flow positions nodes with them; inline scripts are not.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
