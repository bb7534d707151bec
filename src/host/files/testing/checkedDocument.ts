// Self-checking documents for the save-kill test: any torn write fails `checkDocument`.
import { createHash } from 'node:crypto';

export function makeCheckedDocument(i: number): string {
  // Sizes vary so a torn write cannot line up with an older, longer file.
  const payload = `${i}:`.repeat(2000 + ((i * 7919) % 50_000));
  const sha = createHash('sha256').update(payload).digest('hex');
  return JSON.stringify({ i, sha, payload });
}

/** The document's sequence number, or an error message saying what is broken. */
export function checkDocument(text: string): number | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return `not JSON (${String(err)}), ${text.length} bytes`;
  }
  const d = doc as { i?: unknown; sha?: unknown; payload?: unknown };
  if (typeof d.i !== 'number' || typeof d.payload !== 'string') return 'fields missing';
  if (createHash('sha256').update(d.payload).digest('hex') !== d.sha) return 'checksum mismatch';
  return d.i;
}
