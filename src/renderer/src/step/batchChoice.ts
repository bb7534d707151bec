import type { BatchChoice, Split } from './stepTypes';

/** The most examples one step may show; a larger batch belongs to training, not stepping. */
export const MAX_STEP_BATCH = 1024;

export type ParsedIndices =
  { readonly ok: true; readonly indices: number[] } | { readonly ok: false; readonly message: string };

/**
 * Parses a list of example numbers such as "0-3, 7, 9": ranges inclusive, duplicates dropped,
 * order kept.
 *
 * @example parseIndices('0-2, 5') // { ok: true, indices: [0, 1, 2, 5] }
 */
export function parseIndices(text: string, available: number): ParsedIndices {
  const out: number[] = [];
  const seen = new Set<number>();
  const parts = text.split(/[,\s]+/).filter(Boolean);
  if (parts.length === 0) return { ok: false, message: 'Type the examples to use, e.g. "0-3, 7".' };
  for (const part of parts) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return { ok: false, message: `"${part}" is not an example number or a range like 0-3.` };
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) return { ok: false, message: `The range "${part}" runs backwards.` };
    if (hi >= available)
      return {
        ok: false,
        message: `Example ${hi} does not exist: this split has ${available} example${available === 1 ? '' : 's'} (0–${available - 1}).`,
      };
    for (let i = lo; i <= hi; i++) {
      if (!seen.has(i)) {
        seen.add(i);
        out.push(i);
      }
      if (out.length > MAX_STEP_BATCH)
        return { ok: false, message: `At most ${MAX_STEP_BATCH} examples can be stepped at once.` };
    }
  }
  return { ok: true, indices: out };
}

/** The example indices a batch choice stands for, checked against the split's size. */
export function batchIndices(choice: BatchChoice, available: number): ParsedIndices {
  if (available <= 0) return { ok: false, message: `The ${splitName(choice.split)} split has no examples.` };
  if (choice.mode === 'list') return parseIndices(choice.list, available);
  const start = Math.max(0, Math.min(choice.index, available - 1));
  if (choice.mode === 'single') return { ok: true, indices: [start] };
  const size = Math.max(1, Math.min(choice.size, available - start, MAX_STEP_BATCH));
  return { ok: true, indices: Array.from({ length: size }, (_, i) => start + i) };
}

export function splitName(s: Split): string {
  return s === 'dev' ? 'development' : s === 'train' ? 'training' : 'test';
}

/** "example 3", "examples 0–3", "5 examples" for the toolbar. */
export function describeBatch(indices: readonly number[]): string {
  if (indices.length === 1) return `example ${indices[0]}`;
  const contiguous = indices.every((v, i) => i === 0 || v === indices[i - 1]! + 1);
  return contiguous ? `examples ${indices[0]}–${indices[indices.length - 1]}` : `${indices.length} examples`;
}
