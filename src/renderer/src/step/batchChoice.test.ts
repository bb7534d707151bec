import { describe, expect, it } from 'vitest';
import {
  batchIndices,
  describeBatch,
  describeTransform,
  parseIndices,
  transformToSend,
  sameTransform,
  shiftInput,
  turnInput,
} from './batchChoice';
import { initialStepRun } from './stepTypes';

const choice = initialStepRun().batch;

describe('batch choice', () => {
  it('parses lists and ranges, dropping duplicates', () => {
    expect(parseIndices('0-2, 5 1', 10)).toEqual({ ok: true, indices: [0, 1, 2, 5] });
    expect(parseIndices('3', 4)).toEqual({ ok: true, indices: [3] });
  });

  it('explains what is wrong with a list', () => {
    const bad = (t: string, n = 10): string => {
      const r = parseIndices(t, n);
      return r.ok ? '' : r.message;
    };
    expect(bad('')).toContain('Type the examples');
    expect(bad('a')).toContain('"a" is not an example number');
    expect(bad('5-2')).toContain('runs backwards');
    expect(bad('0-4', 4)).toContain('Example 4 does not exist: this split has 4 examples (0–3)');
    expect(bad('0-5000', 10_000)).toContain('At most 1024');
  });

  it('turns a choice into indices within the split', () => {
    expect(batchIndices({ ...choice, mode: 'single', index: 2 }, 4)).toEqual({ ok: true, indices: [2] });
    expect(batchIndices({ ...choice, mode: 'single', index: 9 }, 4)).toEqual({ ok: true, indices: [3] });
    expect(batchIndices({ ...choice, mode: 'range', index: 1, size: 8 }, 4)).toEqual({ ok: true, indices: [1, 2, 3] });
    expect(batchIndices({ ...choice, mode: 'list', list: '3,0' }, 4)).toEqual({ ok: true, indices: [3, 0] });
    expect(batchIndices({ ...choice, split: 'dev' }, 0)).toEqual({
      ok: false,
      message: 'The development split has no examples.',
    });
  });

  it('describes a batch briefly', () => {
    expect(describeBatch([3])).toBe('example 3');
    expect(describeBatch([0, 1, 2, 3])).toBe('examples 0–3');
    expect(describeBatch([0, 5])).toBe('2 examples');
  });

  it('turns and shifts the images from how they are shown (the equivariance lab)', () => {
    const none = choice.transform;
    expect(describeTransform(none)).toBe('as loaded');
    const shifted = shiftInput(none, 0, 2);
    // A quarter turn of a picture shifted 2 right: the shift turns with it, to 2 up.
    expect(turnInput(shifted)).toEqual({ rotate: 1, shiftY: -2, shiftX: 0 });
    expect(describeTransform(turnInput(shifted))).toBe('turned 90°, shifted 2 up');
    let t = shifted;
    for (let k = 0; k < 4; k++) t = turnInput(t);
    expect(sameTransform(t, shifted)).toBe(true);
    expect(sameTransform(undefined, none)).toBe(true);
    expect(describeTransform(shiftInput(none, 1, -1))).toBe('shifted 1 down, 1 left');
    // Sent only where it changes something: an identity, or a network without images, loads as is.
    const image = [{ type: 'Input', params: { shape: [1, 8, 8] } }];
    const flat = [{ type: 'Input', params: { shape: [64] } }];
    expect(transformToSend(shifted, image)).toEqual(shifted);
    expect(transformToSend(shifted, flat)).toBeUndefined();
    expect(transformToSend(none, image)).toBeUndefined();
  });
});
