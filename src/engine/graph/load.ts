import { z } from 'zod';
import { migrate } from './migrations';
import { parseJsonSafely, sanitizeJson } from './safeJson';
import type { GraphEdge, GraphNode, Project, TrainingSettings, WeightTensor } from './schema';
import { PROJECT_FORMAT, PROJECT_VERSION, defaultTrainingSettings, trainingSchema, weightTensorSchema } from './schema';
import { stringifyJson } from './stringify';

/** Something the loader had to repair or skip; the document still opened. */
export interface LoadIssue {
  /** Where in the file, e.g. `graph.nodes[3].position`. */
  readonly path: string;
  readonly message: string;
}

export type LoadResult =
  | { readonly ok: true; readonly project: Project; readonly issues: readonly LoadIssue[] }
  | { readonly ok: false; readonly error: string };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const MAX_ID = 200;

/**
 * `base.key`, or `base["key"]` when the key is not a plain name: a file's keys are arbitrary text,
 * and a key such as `a.b` or `[0]` would otherwise make the path point somewhere else.
 */
export function jsonPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (base ? `${base}.${key}` : key) : `${base}[${JSON.stringify(key)}]`;
}

/**
 * Opens a project file's text. Never throws: a file that is not a project, is malformed JSON,
 * or comes from a newer version is refused with one sentence; smaller problems are repaired and
 * listed in `issues`. Invalid nodes are kept (validation flags them), never dropped.
 *
 * @example
 * const r = loadProject(text);
 * if (!r.ok) console.error(r.error); else use(r.project);
 */
export function loadProject(text: string): LoadResult {
  const parsed = parseJsonSafely(text);
  if (!parsed.ok) return { ok: false, error: `Cannot open the project: ${parsed.error}.` };
  return fromSanitized(parsed.value, parsed.removedKeys);
}

/** The same as {@link loadProject} for an already-parsed value (e.g. from IPC). */
export function loadProjectValue(value: unknown): LoadResult {
  const s = sanitizeJson(value);
  if (!s.ok) return { ok: false, error: `Cannot open the project: ${s.error}.` };
  return fromSanitized(s.value, s.removedKeys);
}

function fromSanitized(value: unknown, removedKeys: number): LoadResult {
  if (!isObject(value))
    return { ok: false, error: 'Cannot open the project: the file does not contain a JSON object.' };
  if (value.format !== PROJECT_FORMAT)
    return {
      ok: false,
      error: `Cannot open the project: this is not a Backprop Studio project (${value.format === undefined ? 'it has no "format"' : `its "format" is ${shortValue(value.format)}`}, expected "${PROJECT_FORMAT}").`,
    };
  const version = value.version;
  if (version === undefined)
    return { ok: false, error: 'Cannot open the project: it has no "version" (a positive whole number).' };
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return {
      ok: false,
      error: `Cannot open the project: its "version" (${shortValue(version)}) is not a positive whole number.`,
    };
  if (version > PROJECT_VERSION) {
    return {
      ok: false,
      error: `Cannot open the project: it was saved by a newer Backprop Studio (file format version ${version}; this version reads up to ${PROJECT_VERSION}). Update Backprop Studio to open it.`,
    };
  }
  const issues: LoadIssue[] = [];
  if (removedKeys > 0) issues.push({ path: '', message: `${removedKeys} "__proto__" key(s) were removed` });
  const doc = migrate(value, version);
  const graph = isObject(doc.graph) ? doc.graph : {};
  if (doc.graph !== undefined && !isObject(doc.graph))
    issues.push({ path: 'graph', message: 'the graph is not an object; an empty graph was used' });
  for (const [key, max] of [
    ['nodes', MAX_NODES],
    ['edges', MAX_EDGES],
  ] as const) {
    const list = graph[key];
    if (Array.isArray(list) && list.length > max)
      return {
        ok: false,
        error: `Cannot open the project: it has ${list.length.toLocaleString('en-US')} ${key}; the limit is ${max.toLocaleString('en-US')}.`,
      };
  }
  const nodes = readNodes(graph.nodes, issues);
  const edges = readEdges(graph.edges, issues);
  const project: Project = {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    name: readString(doc.name, 'name', 'Untitled', 200, issues),
    description: readString(doc.description, 'description', '', 20_000, issues),
    graph: { nodes, edges },
    training: readTraining(doc.training, issues),
  };
  if (doc.weights !== undefined) project.weights = readWeights(doc.weights, issues);
  if (doc.ui !== undefined) {
    if (isObject(doc.ui)) project.ui = doc.ui;
    else issues.push({ path: 'ui', message: 'the editor state is not an object and was ignored' });
  }
  return { ok: true, project, issues };
}

/**
 * A value of the file in a message, kept short: a short text or a number as it is, anything else
 * by its kind (a refused file may not be a project at all, and its contents are not repeated).
 */
function shortValue(v: unknown): string {
  if (typeof v === 'string') return v.length <= 40 ? JSON.stringify(v) : 'a long text';
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return Array.isArray(v) ? 'a list' : 'an object';
}

function readString(v: unknown, path: string, fallback: string, max: number, issues: LoadIssue[]): string {
  if (v === undefined) return fallback;
  if (typeof v === 'string') return v.length > max ? v.slice(0, max) : v;
  issues.push({ path, message: `"${path}" is not text; "${fallback}" was used` });
  return fallback;
}

/**
 * A fresh id for a duplicate: `${id}_2`, `${id}_3`, … . The counter is kept per base id, so k
 * duplicates of one id cost O(k) in all (restarting at 2 each time made them quadratic).
 */
function uniqueId(id: string, taken: Set<string>, next: Map<string, number>): string {
  let n = next.get(id) ?? 2;
  while (taken.has(`${id}_${n}`)) n++;
  next.set(id, n + 1);
  return `${id}_${n}`;
}

/** The most nodes and edges a project may hold (a file is also capped at MAX_JSON_CHARS). */
export const MAX_NODES = 100_000;
export const MAX_EDGES = 200_000;

function readNodes(v: unknown, issues: LoadIssue[]): GraphNode[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    issues.push({ path: 'graph.nodes', message: 'the node list is not a list; no nodes were read' });
    return [];
  }
  const taken = new Set<string>();
  const next = new Map<string, number>();
  const nodes: GraphNode[] = [];
  v.forEach((n: unknown, i) => {
    const path = `graph.nodes[${i}]`;
    if (!isObject(n)) return issues.push({ path, message: `${path} is not an object and was skipped` });
    if (typeof n.id !== 'string' || n.id.length === 0 || n.id.length > MAX_ID)
      return issues.push({
        path,
        message: `${path} has no valid "id" (text of 1–${MAX_ID} characters) and was skipped`,
      });
    let id = n.id;
    if (taken.has(id)) {
      const fresh = uniqueId(id, taken, next);
      issues.push({ path, message: `two nodes are named "${id}"; the second was renamed "${fresh}"` });
      id = fresh;
    }
    taken.add(id);
    let type = '';
    if (typeof n.type === 'string') type = n.type.slice(0, MAX_ID);
    else
      issues.push({
        path: `${path}.type`,
        message: `node "${id}" has no "type"; it was kept and is flagged as unknown`,
      });
    let params: Record<string, unknown> = {};
    if (isObject(n.params)) params = n.params;
    else if (n.params !== undefined)
      issues.push({
        path: `${path}.params`,
        message: `the parameters of node "${id}" are not an object; defaults were used`,
      });
    let position = { x: 0, y: 0 };
    const p = n.position;
    if (isObject(p) && typeof p.x === 'number' && typeof p.y === 'number') position = { x: p.x, y: p.y };
    else if (p !== undefined)
      issues.push({
        path: `${path}.position`,
        message: `the position of node "${id}" is not {x, y}; it was placed at the origin`,
      });
    const node: GraphNode = { id, type, params, position };
    if (typeof n.label === 'string') node.label = n.label.slice(0, MAX_ID);
    for (const k of Object.keys(n)) {
      if (!['id', 'type', 'params', 'position', 'label'].includes(k))
        issues.push({
          path: jsonPath(path, k),
          message: `node "${id}" has an unknown field ${JSON.stringify(k)}, which was ignored`,
        });
    }
    nodes.push(node);
  });
  return nodes;
}

function readEdges(v: unknown, issues: LoadIssue[]): GraphEdge[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    issues.push({ path: 'graph.edges', message: 'the edge list is not a list; no edges were read' });
    return [];
  }
  const taken = new Set<string>();
  const next = new Map<string, number>();
  const edges: GraphEdge[] = [];
  v.forEach((e: unknown, i) => {
    const path = `graph.edges[${i}]`;
    if (!isObject(e)) return issues.push({ path, message: `${path} is not an object and was skipped` });
    const fields = ['id', 'source', 'sourcePort', 'target', 'targetPort'] as const;
    const bad = fields.filter(
      (f) => typeof e[f] !== 'string' || (e[f] as string).length === 0 || (e[f] as string).length > MAX_ID,
    );
    if (bad.length > 0)
      return issues.push({
        path,
        message: `${path} was skipped: ${bad.map((f) => `"${f}"`).join(', ')} ${bad.length === 1 ? 'is' : 'are'} missing or not valid text`,
      });
    let id = e.id as string;
    if (taken.has(id)) {
      const fresh = uniqueId(id, taken, next);
      issues.push({ path, message: `two edges are named "${id}"; the second was renamed "${fresh}"` });
      id = fresh;
    }
    taken.add(id);
    edges.push({
      id,
      source: e.source as string,
      sourcePort: e.sourcePort as string,
      target: e.target as string,
      targetPort: e.targetPort as string,
    });
  });
  return edges;
}

function readTraining(v: unknown, issues: LoadIssue[]): TrainingSettings {
  const defaults = defaultTrainingSettings();
  if (v === undefined) return defaults;
  if (!isObject(v)) {
    issues.push({ path: 'training', message: 'the training settings are not an object; defaults were used' });
    return defaults;
  }
  const merged: Json = { ...defaults, ...v };
  // An optimizer or early-stopping object may name only what differs from the defaults
  // (`{"type": "adam", "lr": 0.005}`): the fields it lacks take the defaults' values.
  for (const key of ['optimizer', 'earlyStopping'] as const) {
    const given = v[key];
    if (isObject(given)) merged[key] = { ...defaults[key], ...given };
  }
  // zod drops keys a schema does not name without a word; each is reported, wherever it is.
  const unknown: LoadIssue[] = [];
  unknownKeys(trainingSchema, v, 'training', unknown);
  const whole = trainingSchema.safeParse(merged);
  if (whole.success) {
    issues.push(...unknown);
    return whole.data;
  }
  // Keep every setting that is valid on its own; fall back to the default for the others.
  const out: Json = {};
  const shape = trainingSchema.shape as Record<
    string,
    {
      safeParse: (x: unknown) => {
        success: boolean;
        data?: unknown;
        error?: { issues: { message: string; path: PropertyKey[] }[] };
      };
    }
  >;
  for (const key of Object.keys(defaults) as (keyof TrainingSettings)[]) {
    const r = shape[key].safeParse(merged[key]);
    if (r.success) out[key] = r.data;
    else {
      const first = r.error?.issues[0];
      const where = (first?.path ?? []).reduce<string>(
        (at, k) => jsonPath(at, typeof k === 'number' ? k : String(k)),
        jsonPath('training', key),
      );
      issues.push({
        path: where,
        message: `"${where}" is invalid (${first?.message ?? 'bad value'}); the default was used`,
      });
      out[key] = defaults[key];
    }
  }
  issues.push(...unknown);
  return out as TrainingSettings;
}

/**
 * The keys of `value` (and of its nested objects) that `schema` has no field for, as load issues
 * under `at`. Records (a data set's generator settings) take any key and are not walked.
 */
function unknownKeys(schema: z.ZodType, value: unknown, at: string, out: LoadIssue[]): void {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
  if (!(s instanceof z.ZodObject) || !isObject(value)) return;
  const shape = s.shape as Record<string, z.ZodType>;
  for (const [k, inner] of Object.entries(value)) {
    const path = jsonPath(at, k);
    if (!Object.hasOwn(shape, k))
      out.push({
        path,
        message:
          at === 'training'
            ? `unknown training setting ${JSON.stringify(k)} was ignored`
            : `unknown setting ${JSON.stringify(k)} in ${at} was ignored`,
      });
    else unknownKeys(shape[k], inner, path, out);
  }
}

function readWeights(v: unknown, issues: LoadIssue[]): Record<string, WeightTensor> {
  const out: Record<string, WeightTensor> = {};
  if (!isObject(v)) {
    issues.push({ path: 'weights', message: 'the weights are not an object and were ignored' });
    return out;
  }
  for (const [name, t] of Object.entries(v)) {
    const r = weightTensorSchema.safeParse(t);
    if (r.success) out[name] = r.data;
    else
      issues.push({
        path: jsonPath('weights', name),
        message: `the weights ${JSON.stringify(name)} were ignored: ${r.error.issues[0]?.message ?? 'invalid tensor'}`,
      });
  }
  return out;
}

/** Writes a project as canonical JSON (stable key order, number lists on one line). */
export function saveProject(project: Project): string {
  return `${stringifyJson(projectDocument(project))}\n`;
}

/** The project as the plain document a file holds (what the API's `project` fields carry), not yet serialized. */
export function projectDocument(project: Project): Record<string, unknown> {
  const doc: Json = {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    name: project.name,
    description: project.description,
    graph: {
      nodes: project.graph.nodes.map((n) => ({
        id: n.id,
        type: n.type,
        ...(n.label !== undefined ? { label: n.label } : {}),
        params: n.params,
        position: { x: n.position.x, y: n.position.y },
      })),
      edges: project.graph.edges.map((e) => ({
        id: e.id,
        source: e.source,
        sourcePort: e.sourcePort,
        target: e.target,
        targetPort: e.targetPort,
      })),
    },
    training: project.training,
  };
  if (project.weights !== undefined)
    doc.weights = Object.fromEntries(
      Object.entries(project.weights).map(([k, t]) => [k, { shape: t.shape, data: t.data }]),
    );
  if (project.ui !== undefined) doc.ui = project.ui;
  return doc;
}
