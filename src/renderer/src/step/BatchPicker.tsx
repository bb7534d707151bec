import { useState } from 'react';
import type { ReactElement } from 'react';
import { setRun } from '../state/store';
import { useApp } from '../state/useApp';
import { batchIndices, describeBatch } from './batchChoice';
import { loadBatch } from './stepController';
import type { BatchChoice } from './stepTypes';

/**
 * Which examples form the batch: one example (the clearest view), a range, or a typed list,
 * from the train, dev or test split of the project's data set. A change loads the new batch.
 */
export function BatchPicker(): ReactElement {
  const { batch, session, loaded, busy } = useApp((s) => ({
    batch: s.run.batch,
    session: s.run.session,
    loaded: s.run.loaded,
    busy: s.run.busy,
  }));
  const [list, setList] = useState(batch.list);
  const available = session?.dataset ? session.dataset[batch.split] : null;
  const parsed = available === null ? null : batchIndices(batch, available);
  const error = parsed && !parsed.ok ? parsed.message : null;

  const choose = (patch: Partial<BatchChoice>): void => {
    setRun({ batch: { ...batch, ...patch } });
    // Only once a session exists: the first step creates it and loads the chosen batch itself.
    if (session) void loadBatch();
  };

  return (
    <div className="batch-picker" data-testid="batch-picker">
      <label className="batch-field" title="Which part of the data set the examples come from">
        <span>Batch</span>
        <select
          value={batch.split}
          onChange={(e) => choose({ split: e.target.value as BatchChoice['split'] })}
          data-testid="batch-split"
        >
          <option value="train">train</option>
          <option value="dev">dev</option>
          <option value="test">test</option>
        </select>
      </label>
      <select
        value={batch.mode}
        onChange={(e) => choose({ mode: e.target.value as BatchChoice['mode'] })}
        title="One example shows the clearest picture"
        data-testid="batch-mode"
      >
        <option value="single">one example</option>
        <option value="range">examples from</option>
        <option value="list">these examples</option>
      </select>
      {batch.mode === 'list' ? (
        <input
          className="batch-list"
          value={list}
          onChange={(e) => setList(e.target.value)}
          onBlur={() => list !== batch.list && choose({ list })}
          onKeyDown={(e) => e.key === 'Enter' && choose({ list })}
          placeholder="0-3, 7"
          aria-label="Example numbers"
          data-testid="batch-list"
        />
      ) : (
        <span className="batch-index">
          <button
            type="button"
            disabled={busy !== null || batch.index <= 0}
            onClick={() => choose({ index: batch.index - 1 })}
            aria-label="Previous example"
          >
            ‹
          </button>
          <input
            type="number"
            min={0}
            max={available !== null ? available - 1 : undefined}
            value={batch.index}
            onChange={(e) => choose({ index: Math.max(0, Math.floor(Number(e.target.value) || 0)) })}
            aria-label="First example"
            data-testid="batch-index"
          />
          <button
            type="button"
            disabled={busy !== null || (available !== null && batch.index >= available - 1)}
            onClick={() => choose({ index: batch.index + 1 })}
            aria-label="Next example"
          >
            ›
          </button>
        </span>
      )}
      {batch.mode === 'range' && (
        <label className="batch-field">
          <span>size</span>
          <input
            type="number"
            min={1}
            max={1024}
            value={batch.size}
            onChange={(e) => choose({ size: Math.max(1, Math.floor(Number(e.target.value) || 1)) })}
            data-testid="batch-size"
          />
        </label>
      )}
      <span className={`batch-note${error ? ' error' : ''}`} data-testid="batch-note">
        {error ??
          (loaded
            ? `${describeBatch(loaded.indices)}${available !== null ? ` of ${available}` : ''}${session?.dataset ? ` · ${session.dataset.name}` : ''}`
            : 'loads with the first step')}
      </span>
    </div>
  );
}
