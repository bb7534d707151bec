/**
 * Which URLs are the app's own pages. Checked with the URL parser, never a string prefix, so
 * `file:///app/index.html.evil` or `http://localhost:5173@evil.example` cannot pass.
 */
export interface AppOrigins {
  /** The folder of the built renderer, as a file: URL ending in '/'. */
  readonly rendererRoot: string;
  /** The dev server's origin under `npm run dev`, if any. */
  readonly devServerUrl?: string;
}

export function isAppUrl(candidate: string, origins: AppOrigins): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (origins.devServerUrl !== undefined) {
    const dev = new URL(origins.devServerUrl);
    if (url.protocol === dev.protocol && url.host === dev.host && url.username === '' && url.password === '')
      return true;
  }
  if (url.protocol !== 'file:') return false;
  const root = new URL(origins.rendererRoot);
  if (root.protocol !== 'file:' || url.host !== root.host) return false;
  const rootPath = root.pathname.endsWith('/') ? root.pathname : root.pathname + '/';
  // URL parsing has already resolved `..` segments, so a prefix test on the pathname is exact.
  return decodeURIComponent(url.pathname).startsWith(decodeURIComponent(rootPath));
}
