import { renameSync, writeFileSync } from 'node:fs';
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

/** JSON has no NaN or Infinity: they are written as the strings "NaN", "Infinity", "-Infinity". */
export function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return v;
}
