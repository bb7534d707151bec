import { useEffect, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import type { DatasetRef } from '../../../engine/graph/schema';
import { host } from '../api/connection';
import { getState, setDoc } from '../state/store';
import { useApp } from '../state/useApp';
import { datasetCatalog } from './dataInfo';
import { planDataOffer } from './dataOffer';
import { DatasetPreviewView } from './DatasetPreview';
import type { CatalogEntry } from './trainingTypes';

type ParamValue = number | string | boolean;

function setDataset(ref: DatasetRef): void {
  const doc = getState().doc;
  if (JSON.stringify(doc.training.dataset) === JSON.stringify(ref)) return;
  setDoc({ ...doc, training: { ...doc.training, dataset: ref } });
}

/** One generator parameter: a menu where the catalog lists its values, else a field of its default's type. */
function ParamInput({
  name,
  def,
  value,
  choices,
  disabled,
  onChange,
}: {
  name: string;
  def: ParamValue;
  value: ParamValue;
  choices: readonly ParamValue[] | undefined;
  disabled: boolean;
  onChange: (v: ParamValue) => void;
}): ReactElement {
  const [text, setText] = useState(String(value));
  if (choices)
    return (
      <label className="setting">
        <span>{name}</span>
        <select
          value={String(value)}
          disabled={disabled}
          data-testid={`dataset-param-${name}`}
          onChange={(e) => onChange(choices.find((c) => String(c) === e.target.value) ?? e.target.value)}
        >
          {choices.map((c) => (
            <option key={String(c)} value={String(c)}>
              {String(c)}
            </option>
          ))}
        </select>
      </label>
    );
  if (typeof def === 'boolean')
    return (
      <label className="setting check">
        <input
          type="checkbox"
          checked={value === true}
          disabled={disabled}
          onChange={(e) => onChange(e.target.checked)}
        />
        <span>{name}</span>
      </label>
    );
  const commit = (): void => {
    if (typeof def === 'number') {
      const n = Number(text.trim());
      if (text.trim() !== '' && Number.isFinite(n)) onChange(n);
      else setText(String(value));
    } else onChange(text);
  };
  return (
    <label className="setting">
      <span>{name}</span>
      <input
        type="text"
        value={text}
        disabled={disabled}
        data-testid={`dataset-param-${name}`}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </label>
  );
}

/** Opens a CSV file the user picks and hands it to the host, which checks every line before keeping it. */
function CsvImport({ disabled }: { disabled: boolean }): ReactElement {
  const input = useRef<HTMLInputElement>(null);
  const [task, setTask] = useState<'classification' | 'regression'>('classification');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = async (file: File): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const content = await file.text();
      const r = await host().invoke('datasets.importCsv', { content, fileName: file.name, task });
      setDataset(r.dataset);
    } catch (err) {
      // Nothing changes in the project: the file is either whole or not loaded.
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="csv-import">
      <label className="setting">
        <span>CSV labels</span>
        <select value={task} disabled={disabled} onChange={(e) => setTask(e.target.value as typeof task)}>
          <option value="classification">classes (last column)</option>
          <option value="regression">real values (last column)</option>
        </select>
      </label>
      <button
        type="button"
        className="btn"
        disabled={disabled || busy}
        data-testid="csv-open"
        onClick={() => input.current?.click()}
      >
        {busy ? 'Checking…' : 'Open a CSV file…'}
      </button>
      <input
        ref={input}
        type="file"
        accept=".csv,text/csv"
        hidden
        data-testid="csv-file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void load(f);
        }}
      />
      {error && (
        <p className="data-error" role="alert" data-testid="csv-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** The data set: picker, its generator's parameters, a preview, and the offer to fit the graph to it. */
export function DataSection({ locked }: { locked: boolean }): ReactElement {
  const { doc, data } = useApp((s) => ({ doc: s.doc, data: s.training.data }));
  const [catalog, setCatalog] = useState<readonly CatalogEntry[]>([]);
  const [csv, setCsv] = useState(false);
  useEffect(() => {
    datasetCatalog().then(setCatalog, () => setCatalog([]));
  }, []);
  const ref = doc.training.dataset;
  const entry = catalog.find((c) => c.name === ref.name);
  const isCsv = ref.name === 'csv' || csv;
  const plan = data?.description ? planDataOffer(doc, data.description) : null;
  return (
    <div className="data-section" data-testid="data-section">
      <label className="setting">
        <span>Data set</span>
        <select
          value={isCsv ? 'csv' : ref.name}
          disabled={locked}
          data-testid="dataset-picker"
          onChange={(e) => {
            const name = e.target.value;
            setCsv(name === 'csv');
            if (name !== 'csv') setDataset({ name, params: {} });
          }}
        >
          {!entry && !isCsv && <option value={ref.name}>{ref.name}</option>}
          {catalog.map((c) => (
            <option key={c.name} value={c.name} title={c.description}>
              {c.title}
            </option>
          ))}
          <option value="csv">CSV file…</option>
        </select>
      </label>
      {entry && !isCsv && <p className="data-description">{entry.description}</p>}
      {entry &&
        !isCsv &&
        Object.entries(entry.params).map(([k, def]) => (
          <ParamInput
            key={`${entry.name}.${k}.${String(ref.params[k] ?? def)}`}
            name={k}
            def={def}
            value={ref.params[k] ?? def}
            choices={entry.choices?.[k]}
            disabled={locked}
            onChange={(v) => setDataset({ name: ref.name, params: { ...ref.params, [k]: v } })}
          />
        ))}
      {isCsv && <CsvImport disabled={locked} />}
      {isCsv && ref.name === 'csv' && (
        <p className="data-description">
          {String(ref.params.path ?? '')
            .split(/[\\/]/)
            .pop()}
        </p>
      )}
      {data?.error && (
        <p className="data-error" data-testid="dataset-error">
          {data.error}
        </p>
      )}
      {plan && (
        <div className="data-offer" data-testid="data-offer">
          <p>To train on this data set: {plan.changes.join('; ')}.</p>
          <button
            type="button"
            className="btn primary"
            disabled={locked}
            data-testid="data-offer-apply"
            onClick={() => setDoc(plan.doc)}
          >
            Fit the graph to the data
          </button>
        </div>
      )}
      {data?.preview && <DatasetPreviewView preview={data.preview} />}
    </div>
  );
}
