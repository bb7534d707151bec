// The examples service: the bundled course examples in resources/examples.
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProject } from '../../engine/graph/load';
import { HostError } from '../errors';
import type { Handlers } from '../host';
import { asDocument } from './projects';

/**
 * Finds `resources/<sub>` by walking up from this module: the same code runs from source
 * (src/host/services) and from the build (out/main or out/main/chunks).
 */
export function findResourceDir(sub: string): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'resources', sub);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return null;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/;

export function examplesHandlers(examplesDir: string | null): Pick<Handlers, 'examples.list' | 'examples.open'> {
  const read = async (id: string) => {
    if (examplesDir === null || !ID.test(id))
      throw new HostError('not-found', `There is no example "${id.slice(0, 200)}".`);
    let text: string;
    try {
      text = await fsp.readFile(path.join(examplesDir, `${id}.json`), 'utf8');
    } catch {
      throw new HostError('not-found', `There is no example "${id}".`);
    }
    const r = loadProject(text);
    if (!r.ok) throw new HostError('failed', `The bundled example "${id}" is damaged: ${r.error}`);
    return r as Extract<typeof r, { ok: true }>;
  };
  return {
    'examples.list': async () => {
      if (examplesDir === null) return { examples: [] };
      const names = (await fsp.readdir(examplesDir)).filter((n) => n.endsWith('.json')).sort();
      const examples = [];
      for (const n of names) {
        const id = n.slice(0, -'.json'.length);
        if (!ID.test(id)) continue;
        const r = await read(id).catch(() => null);
        if (r !== null) examples.push({ id, name: r.project.name, description: r.project.description });
      }
      return { examples };
    },
    'examples.open': async ({ id }) => {
      const r = await read(id);
      return { id, title: r.project.name, document: asDocument(r.project), issues: [...r.issues] };
    },
  };
}
