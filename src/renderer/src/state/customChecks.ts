// Runs each custom node's code on a dummy batch whenever its code or input shapes change (the
// host runs it in a worker: customNode.check) and keeps the answer with the node — its signature,
// or its error and line — as a derived value, not an undo step: undoing the code edit brings back
// the code and the answer together.
import { staleSignature } from '../../../engine/graph/registry/custom';
import type { InputTypes } from '../../../engine/graph/nodeType';
import { host } from '../api/connection';
import { analyze } from './analysis';
import { setNodeParams } from './graphOps';
import { appStore, getState, notify, setDoc } from './store';

/** The code and input shapes last sent for each node, so that one answer is asked for once. */
const asked = new Map<string, string>();

function shapesOf(inputs: InputTypes): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const port of ['x', 'y'] as const) {
    const t = inputs[port];
    if (t) out[port] = [...t.shape];
  }
  return out;
}

function checkAll(): void {
  const doc = getState().doc;
  const custom = doc.graph.nodes.filter((n) => n.type === 'Custom');
  if (custom.length === 0) return;
  const a = analyze(doc).result;
  for (const node of custom) {
    const p = node.params as { code?: unknown; signature?: unknown; error?: unknown };
    const inputs = a.inputs[node.id];
    if (!inputs?.x || typeof p.code !== 'string') continue;
    const shapes = shapesOf(inputs);
    const key = JSON.stringify([p.code, shapes]);
    const stale = staleSignature((p.signature ?? null) as never, inputs) !== undefined;
    if ((!stale && p.error == null) || asked.get(node.id) === key) continue;
    asked.set(node.id, key);
    const code = p.code;
    host()
      .invoke('customNode.check', { code, inputs: shapes })
      .then(
        (r) => {
          const cur = getState().doc.graph.nodes.find((n) => n.id === node.id);
          if (!cur || cur.params['code'] !== code || asked.get(node.id) !== key) return;
          const answer = r.ok
            ? { signature: r.signature, error: null }
            : {
                signature: null,
                error: {
                  message: r.message,
                  ...(r.line !== undefined ? { line: r.line } : {}),
                  ...(r.column !== undefined ? { column: r.column } : {}),
                },
              };
          setDoc(setNodeParams(getState().doc, node.id, { ...cur.params, ...answer }), { commit: false });
        },
        (err: unknown) => {
          asked.delete(node.id);
          notify(
            `The custom node's code could not be run: ${err instanceof Error ? err.message : String(err)}`,
            'error',
            6000,
          );
        },
      );
  }
}

/** Starts watching the document (once, at the app's start); returns the unsubscribe. */
export function watchCustomNodes(): () => void {
  checkAll();
  let last = getState().doc;
  return appStore.subscribe((s) => {
    if (s.doc === last) return;
    last = s.doc;
    checkAll();
  });
}

/** A code edit: the new code, its old answer dropped (the watcher asks for the new one); one undo step. */
export function setCustomCode(nodeId: string, code: string): void {
  const s = getState();
  const cur = s.doc.graph.nodes.find((n) => n.id === nodeId);
  if (!cur || cur.params['code'] === code) return;
  setDoc(setNodeParams(s.doc, nodeId, { ...cur.params, code, signature: null, error: null }));
}
