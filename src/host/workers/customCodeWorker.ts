// Entry of the custom-code worker thread: runs a custom node's code on a dummy batch (its shape
// inference) in the sandbox, for the editor, before any session can be built from the graph.
// The host's thread never runs the code; this thread runs nothing else.
import { parentPort } from 'node:worker_threads';
import { registerEngine } from '../../engine/register';
import { CustomCodeError, inferCustomSignature } from '../../engine/runtime/customCode';
import { createCustomSandbox, CUSTOM_TIMEOUT_MS, esbuildTranspile } from './customSandbox';

export interface CustomCheckRequest {
  readonly id: number;
  readonly code: string;
  readonly inputs: Readonly<Record<string, readonly number[]>>;
}

export type CustomCheckReply = { readonly id: number } & (
  | { readonly ok: true; readonly signature: unknown }
  | { readonly ok: false; readonly message: string; readonly line?: number; readonly column?: number }
);

const port = parentPort;
if (port === null) throw new Error('customCodeWorker.ts runs as a worker thread only.');
registerEngine();
const sandbox = createCustomSandbox({ timeoutMs: CUSTOM_TIMEOUT_MS, transpile: esbuildTranspile });

port.on('message', (req: CustomCheckRequest) => {
  let reply: CustomCheckReply;
  try {
    const signature = inferCustomSignature(sandbox.compile(req.code), req.inputs);
    reply = { id: req.id, ok: true, signature: JSON.parse(JSON.stringify(signature)) as unknown };
  } catch (e) {
    const err = e instanceof CustomCodeError ? e : new CustomCodeError(e instanceof Error ? e.message : String(e));
    reply = {
      id: req.id,
      ok: false,
      message: err.message,
      ...(err.line !== undefined ? { line: err.line } : {}),
      ...(err.column !== undefined ? { column: err.column } : {}),
    };
  }
  port.postMessage(reply);
});
