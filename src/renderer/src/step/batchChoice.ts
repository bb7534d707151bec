import type { BatchChoice, InputTransform, Split } from './stepTypes';
import { NO_INPUT_TRANSFORM } from './stepTypes';

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

/** The images are shown as loaded: no turn, no shift. */
export function isIdentityTransform(t: InputTransform | undefined): boolean {
  return t === undefined || (t.rotate % 4 === 0 && t.shiftY === 0 && t.shiftX === 0);
}

/** Two transforms change the images the same way (undefined is none). */
export function sameTransform(a: InputTransform | undefined, b: InputTransform | undefined): boolean {
  const x = a ?? NO_INPUT_TRANSFORM;
  const y = b ?? NO_INPUT_TRANSFORM;
  return x.rotate % 4 === y.rotate % 4 && x.shiftY === y.shiftY && x.shiftX === y.shiftX;
}

/**
 * The images as shown, turned one more quarter turn (counter-clockwise): the turn comes first
 * in a transform, so the shift so far turns with the picture, (down, right) → (−right, down).
 *
 * @example turnInput({ rotate: 0, shiftY: 0, shiftX: 2 }) // { rotate: 1, shiftY: -2, shiftX: 0 }
 */
export function turnInput(t: InputTransform): InputTransform {
  return { rotate: (t.rotate + 1) % 4, shiftY: t.shiftX === 0 ? 0 : -t.shiftX, shiftX: t.shiftY };
}

/** The images as shown, moved `dy` rows down and `dx` columns right (circularly). */
export function shiftInput(t: InputTransform, dy: number, dx: number): InputTransform {
  return { ...t, shiftY: t.shiftY + dy, shiftX: t.shiftX + dx };
}

/** "turned 90°, shifted 1 down, 2 right" for the step bar; "as loaded" without a change. */
export function describeTransform(t: InputTransform): string {
  if (isIdentityTransform(t)) return 'as loaded';
  const parts: string[] = [];
  if (t.rotate % 4 !== 0) parts.push(`turned ${(t.rotate % 4) * 90}°`);
  const moves: string[] = [];
  if (t.shiftY !== 0) moves.push(`${Math.abs(t.shiftY)} ${t.shiftY > 0 ? 'down' : 'up'}`);
  if (t.shiftX !== 0) moves.push(`${Math.abs(t.shiftX)} ${t.shiftX > 0 ? 'right' : 'left'}`);
  if (moves.length) parts.push(`shifted ${moves.join(', ')}`);
  return parts.join(', ');
}

/** The graph has an Input of images (C×H×W per example): the lab can turn and shift them. */
export function hasImageInput(nodes: readonly { type: string; params: Readonly<Record<string, unknown>> }[]): boolean {
  return nodes.some((n) => n.type === 'Input' && Array.isArray(n.params.shape) && n.params.shape.length === 3);
}

/**
 * The transform a batch is loaded with: the lab's, when it changes something and the network
 * has images to change (a network edited to have none loads its examples as they are).
 */
export function transformToSend(
  t: InputTransform,
  nodes: readonly { type: string; params: Readonly<Record<string, unknown>> }[],
): InputTransform | undefined {
  return isIdentityTransform(t) || !hasImageInput(nodes) ? undefined : t;
}
