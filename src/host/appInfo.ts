import { readFileSync } from 'node:fs';
import type { AppInfo } from './services/app';

/** Name and version from the package manifest that sits at the project root. */
export function readAppInfo(packageJsonPath: string, mode: AppInfo['mode'], electron: string | null): AppInfo {
  const pkg = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version?: string };
  return { name: 'Backprop Studio', version: pkg.version ?? '0.0.0', electron, mode };
}
