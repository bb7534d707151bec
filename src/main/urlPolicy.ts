/**
 * Which URLs are the app's own pages. Checked with the URL parser, never a string prefix, so
 * `file:///app/index.html.evil` or `http://localhost:5173@evil.example` cannot pass. It never
 * throws: a navigation handler calls it before `preventDefault()`, so an exception there would
 * let the navigation through.
 */
export interface AppOrigins {
  /** The folder of the built renderer, as a file: URL ending in '/'. */
  readonly rendererRoot: string;
  /** The dev server's origin under `npm run dev`, if any. */
  readonly devServerUrl?: string;
}

/**
 * The origins of this run. The dev server's URL (`ELECTRON_RENDERER_URL`, set by electron-vite)
 * is honoured only in an unpackaged build: a packaged app loads and trusts its own files alone.
 */
export function appOrigins(rendererRoot: string, devServerUrl: string | undefined, isPackaged: boolean): AppOrigins {
  return { rendererRoot, ...(devServerUrl !== undefined && !isPackaged ? { devServerUrl } : {}) };
}

/**
 * A URL path's segments, each percent-decoded; null when an escape is malformed or a decoded
 * segment is `.`/`..` or holds a separator (`%2F`, `%5C`, NUL), which would name another folder
 * than the one the parser normalised.
 */
function decodedSegments(pathname: string): string[] | null {
  const out: string[] = [];
  for (const raw of pathname.split('/')) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (seg === '.' || seg === '..' || /[/\\\0]/.test(seg)) return null;
    out.push(seg);
  }
  return out;
}

function isAppUrlUnsafe(candidate: string, origins: AppOrigins): boolean {
  const url = new URL(candidate);
  if (origins.devServerUrl !== undefined) {
    const dev = new URL(origins.devServerUrl);
    if (url.protocol === dev.protocol && url.host === dev.host && url.username === '' && url.password === '')
      return true;
  }
  if (url.protocol !== 'file:') return false;
  const root = new URL(origins.rendererRoot);
  if (root.protocol !== 'file:' || url.host !== root.host) return false;
  // The parser has resolved literal `..` segments; the decoded segments are compared one by one,
  // so an encoded separator or dot-segment cannot climb out of the renderer's folder.
  const rootSegs = decodedSegments(root.pathname.replace(/\/$/, ''));
  const segs = decodedSegments(url.pathname);
  if (rootSegs === null || segs === null || segs.length <= rootSegs.length) return false;
  return rootSegs.every((seg, i) => segs[i] === seg);
}

export function isAppUrl(candidate: string, origins: AppOrigins): boolean {
  try {
    return isAppUrlUnsafe(candidate, origins);
  } catch {
    return false;
  }
}
