// The examples service: the bundled course examples in resources/examples.
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
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

const indexSchema = z.object({
  examples: z.array(z.object({ id: z.string(), topic: z.string(), summary: z.string(), result: z.string() })),
});
type IndexEntry = z.infer<typeof indexSchema>['examples'][number];

/** The gallery's index (gallery/index.json): course order, topics, lines and stated results; [] when absent or unreadable. */
async function readIndex(examplesDir: string): Promise<IndexEntry[]> {
  try {
    const r = indexSchema.safeParse(
      JSON.parse(await fsp.readFile(path.join(examplesDir, 'gallery', 'index.json'), 'utf8')),
    );
    return r.success ? r.data.examples : [];
  } catch {
    return [];
  }
}

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
      const index = await readIndex(examplesDir);
      const names = (await fsp.readdir(examplesDir))
        .filter((n) => n.endsWith('.json'))
        .map((n) => n.slice(0, -'.json'.length))
        .filter((id) => ID.test(id));
      // Course order from the index; files it does not list follow, by name.
      const rank = (id: string) => {
        const i = index.findIndex((e) => e.id === id);
        return i < 0 ? index.length : i;
      };
      names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
      const examples = [];
      for (const id of names) {
        const r = await read(id).catch(() => null);
        if (r === null) continue;
        const entry = index.find((e) => e.id === id);
        const { nodes, edges } = r.project.graph;
        examples.push({
          id,
          name: r.project.name,
          description: r.project.description,
          topic: entry?.topic ?? '',
          summary: entry?.summary ?? r.project.description.split(/(?<=\.)\s/)[0].slice(0, 200),
          result: entry?.result ?? '',
          thumbnail: {
            nodes: nodes.map((n) => ({ id: n.id, type: n.type, x: n.position.x, y: n.position.y })),
            edges: edges.map((e) => ({ source: e.source, target: e.target })),
          },
        });
      }
      return { examples };
    },
    'examples.open': async ({ id }) => {
      const r = await read(id);
      return { id, title: r.project.name, document: asDocument(r.project), issues: [...r.issues] };
    },
  };
}
