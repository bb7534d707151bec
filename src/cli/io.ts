import { closeSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { loadProject } from '../engine/graph/load';
import type { LoadIssue } from '../engine/graph/load';
import { MAX_JSON_CHARS, parseJsonSafely } from '../engine/graph/safeJson';
import { readTextBoundedSync } from '../host/files/readBounded';
import type { Project } from '../engine/graph/schema';
import { CliError } from './errors';

/** A project or JSON file read as data: a regular file of at most 64 MB (never a device or FIFO). */
function readText(path: string, what: string): string {
  try {
    return readTextBoundedSync(path, MAX_JSON_CHARS);
  } catch (e) {
    throw new CliError(`cannot read the ${what} ${path}: ${(e as Error).message}`);
  }
}

/** Reads and loads a project file; refuses it with one line when it cannot be opened. */
export function readProject(path: string): { project: Project; issues: readonly LoadIssue[] } {
  const r = loadProject(readText(path, 'project'));
  if (!r.ok) throw new CliError(`${path}: ${r.error}`);
  return { project: r.project, issues: r.issues };
}

/** Reads a JSON file safely (size, nesting and `__proto__` guarded). */
export function readJson(path: string, what: string): unknown {
  const r = parseJsonSafely(readText(path, what));
  if (!r.ok) throw new CliError(`cannot read the ${what} ${path}: ${r.error}`);
  return r.value;
}

/** Writes JSON through a temporary file and a rename, so a reader never sees half a file. */
export function writeJson(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(value, jsonReplacer)}\n`);
    renameSync(tmp, path);
  } catch (e) {
    throw new CliError(`cannot write ${path}: ${(e as Error).message}`);
  }
}

/** Text is handed to the sink in pieces of about this many characters. */
const CHUNK_CHARS = 1 << 20;

/**
 * Serialises `value` as `JSON.stringify(value, jsonReplacer)` does (compact), but piece by piece:
 * `sink` receives chunks of about 1 M characters, so no string ever approaches V8's length limit
 * (about 512 M characters), whatever the number of values — `run`'s output of a layer with 2^20
 * outputs and its gradients is streamed, not built whole. Typed arrays are written as arrays.
 */
export function streamJson(value: unknown, sink: (chunk: string) => void): void {
  let parts: string[] = [];
  let length = 0;
  const put = (s: string): void => {
    parts.push(s);
    length += s.length;
    if (length >= CHUNK_CHARS) {
      sink(parts.join(''));
      parts = [];
      length = 0;
    }
  };
  const emit = (raw: unknown, inArray: boolean): void => {
    // Numbers first (most of a run's output): a finite number prints as JSON.stringify prints it.
    if (typeof raw === 'number' && Number.isFinite(raw)) {
      put(String(raw));
      return;
    }
    const v = jsonReplacer('', raw);
    if (v === null || typeof v !== 'object') {
      const text = JSON.stringify(v) as string | undefined;
      put(text ?? (inArray ? 'null' : ''));
      return;
    }
    if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      const list = v as ArrayLike<unknown>;
      put('[');
      for (let i = 0; i < list.length; i += 4096) {
        // A slice of numbers is stringified natively; anything else (an object, a string) or a NaN or
        // an Infinity (which JSON.stringify makes null) goes element by element, for jsonReplacer's strings.
        const end = Math.min(list.length, i + 4096);
        let numbers = true;
        for (let j = i; j < end && numbers; j++) numbers = typeof list[j] === 'number';
        const text = numbers ? JSON.stringify(Array.from({ length: end - i }, (_, j) => list[i + j])) : 'null';
        if (!text.includes('null')) put(`${i > 0 ? ',' : ''}${text.slice(1, -1)}`);
        else
          for (let j = i; j < end; j++) {
            if (j > 0) put(',');
            emit(list[j], true);
          }
      }
      put(']');
      return;
    }
    put('{');
    let first = true;
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
      put(`${first ? '' : ','}${JSON.stringify(k)}:`);
      first = false;
      emit(x, false);
    }
    put('}');
  };
  emit(value, false);
  if (parts.length > 0) sink(parts.join(''));
}

/** Writes JSON like writeJson, streamed (streamJson): for outputs of any size. */
export function writeJsonStreamed(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'w');
    const out = fd;
    streamJson(value, (chunk) => void writeSync(out, chunk));
    writeSync(out, '\n');
    closeSync(out);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(tmp, { force: true });
    throw new CliError(`cannot write ${path}: ${(e as Error).message}`);
  }
}

/** JSON has no NaN or Infinity: they are written as the strings "NaN", "Infinity", "-Infinity". */
export function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return v;
}
