/**
 * Reading untrusted JSON: bounded size and nesting (a deeply nested file would overflow the
 * stack of JSON.parse or of any recursive walk), and no `__proto__` keys (assigning one to a
 * plain object would change its prototype: prototype pollution). Never throws.
 */
export const MAX_JSON_DEPTH = 64;
export const MAX_JSON_CHARS = 64 * 1024 * 1024;

export type SafeJsonResult = { ok: true; value: unknown; removedKeys: number } | { ok: false; error: string };

const FORBIDDEN_KEYS = new Set(['__proto__']);

/** Maximum bracket nesting of a JSON text, counted without parsing (strings skipped). */
export function jsonDepth(text: string, stopAt = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > stopAt) return max;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** "line 3, column 7" for a character offset, as an editor shows it (both from 1). */
function lineAndColumn(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line}, column ${offset - start + 1}`;
}

/** Where a JSON text cannot start: its first non-blank character when no JSON value starts with it. */
function badStart(text: string): number | null {
  const i = text.search(/\S/);
  return i >= 0 && !/[[{"\-0-9tfn]/.test(text[i]) ? i : null;
}

/**
 * JSON.parse's complaint without the file's text: V8 quotes the text around some errors
 * (`Unexpected token 'r', "root:*:202"... is not valid JSON`), and an error message must never
 * show what is inside a file that was opened by mistake. Keeps the kind and the place, as a line
 * and a column (which a student finds in an editor; a character offset they cannot).
 */
function jsonSyntaxError(e: unknown, text: string): string {
  const message = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ');
  const offset = /at position (\d+)/.exec(message)?.[1] ?? badStart(text);
  const at = offset === null ? '' : ` at ${lineAndColumn(text, Number(offset))}`;
  if (/^Unexpected token/.test(message)) return `unexpected character${at}`;
  if (message.includes('"') || message.length > 120) return `malformed${at}`;
  return message.replace(/ in JSON/, '').replace(/ at position \d+/, at);
}

export function parseJsonSafely(text: string): SafeJsonResult {
  if (typeof text !== 'string') return { ok: false, error: 'the file is not text' };
  if (text.length > MAX_JSON_CHARS)
    return {
      ok: false,
      error: `the file is too large (${Math.round(text.length / 1e6)} MB; the limit is ${MAX_JSON_CHARS / 1024 / 1024} MB)`,
    };
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    return { ok: false, error: `the JSON is nested more than ${MAX_JSON_DEPTH} levels deep` };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { ok: false, error: 'the file is empty' };
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    return { ok: false, error: `the file is not valid JSON (${jsonSyntaxError(e, body)})` };
  }
  return sanitizeJson(raw);
}

/**
 * Copies any value into plain JSON data: objects and arrays rebuilt without forbidden keys,
 * non-finite numbers and non-JSON values dropped, depth bounded (which also stops cycles).
 */
export function sanitizeJson(value: unknown): SafeJsonResult {
  const state = { removed: 0, tooDeep: false };
  let out: unknown;
  try {
    out = copy(value, 0, state);
  } catch (e) {
    return { ok: false, error: `the data cannot be read (${e instanceof Error ? e.message : String(e)})` };
  }
  if (state.tooDeep) return { ok: false, error: `the JSON is nested more than ${MAX_JSON_DEPTH} levels deep` };
  return { ok: true, value: out, removedKeys: state.removed };
}

function copy(v: unknown, depth: number, state: { removed: number; tooDeep: boolean }): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'object') return undefined;
  if (depth >= MAX_JSON_DEPTH) {
    state.tooDeep = true;
    return null;
  }
  if (Array.isArray(v)) {
    const arr: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const c = copy(v[i], depth + 1, state);
      arr[i] = c === undefined ? null : c;
    }
    return arr;
  }
  const obj: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    if (FORBIDDEN_KEYS.has(k)) {
      state.removed++;
      continue;
    }
    const c = copy((v as Record<string, unknown>)[k], depth + 1, state);
    if (c !== undefined) obj[k] = c;
  }
  return obj;
}
