import { describe, expect, it } from 'vitest';
import { emptyHistory, HISTORY_LIMIT, record, redo, undo } from './history';

describe('history', () => {
  it('undoes and redoes in order', () => {
    let h = emptyHistory<number>();
    let cur = 0;
    for (const next of [1, 2, 3]) {
      h = record(h, cur);
      cur = next;
    }
    const u1 = undo(h, cur)!;
    expect(u1.state).toBe(2);
    const u2 = undo(u1.history, u1.state)!;
    expect(u2.state).toBe(1);
    const r1 = redo(u2.history, u2.state)!;
    expect(r1.state).toBe(2);
    expect(redo(r1.history, r1.state)!.state).toBe(3);
  });

  it('clears the redo stack on a new change and caps the past', () => {
    let h = emptyHistory<number>();
    h = record(h, 0);
    const u = undo(h, 1)!;
    expect(u.history.future).toEqual([1]);
    expect(record(u.history, 0).future).toEqual([]);
    let big = emptyHistory<number>();
    for (let i = 0; i < HISTORY_LIMIT + 10; i++) big = record(big, i);
    expect(big.past.length).toBe(HISTORY_LIMIT);
    expect(big.past[0]).toBe(10);
    expect(undo(emptyHistory<number>(), 5)).toBeUndefined();
  });
});
