// The command line as a user runs it, for the CLI's tests: a child process of `bin/backprop-studio.js`
// from the repository's root, scratch files for the projects it is given, and the in-process step
// its `run` must match.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Graph } from '../engine/graph/schema';
import { batchFromJson } from '../engine/runtime/batch';
import { compileGraph, type CompileOptions } from '../engine/runtime/compile';
import { StepSession } from '../engine/runtime/stepSession';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'backprop-studio.js');

/** A bundled example's project file. */
export const example = (name: string): string => join(ROOT, 'resources', 'examples', `${name}.json`);

/** The XOR truth table as `run --input` and `--target` files hold it. */
export const XOR_INPUTS = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
export const XOR_TARGETS = [[0], [1], [1], [0]];

/** Runs the CLI to its end (a hang guard of `timeoutMs`, not a speed limit). */
export function runCli(args: readonly string[], timeoutMs = 60_000) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A folder of its own for a test file's projects; `write` puts JSON (or text) there and answers the path. */
export function scratchFolder(prefix: string): { dir: string; write(name: string, content: unknown): string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write(name, content) {
      const p = join(dir, name);
      writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
      return p;
    },
  };
}

/**
 * What `run` computes, in process: the graph compiled with `options`, then one forward and backward
 * pass on the batch (x, y) as `run --input/--target` files hold it.
 */
export function stepInProcess(graph: Graph, x: unknown, y: unknown, options: CompileOptions): StepSession {
  const c = compileGraph(graph, options);
  if (!c.ok) throw new Error(`compile: ${c.issues.map((i) => i.message).join('; ')}`);
  const s = new StepSession(c.model);
  const batch = batchFromJson(c.model, x, y);
  if (typeof batch === 'string') throw new Error(batch);
  s.loadBatch(batch);
  s.runBackward();
  return s;
}
