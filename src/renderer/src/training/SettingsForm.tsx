import { useState } from 'react';
import type { ReactElement } from 'react';
import type { TrainingSettings } from '../../../engine/graph/schema';
import { applyField, parseField, SETTING_FIELDS } from './settingsFields';
import type { SettingField } from './settingsFields';
import { setTrainingSettings } from './trainingController';

/** A text field (remounted when the project's value changes) that commits on Enter or when it loses focus (one undo step per edit), with its error beside it. */
function TextSetting({
  field,
  t,
  disabled,
}: {
  field: SettingField;
  t: TrainingSettings;
  disabled: boolean;
}): ReactElement {
  const current = field.get(t) as string;
  const [text, setText] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const commit = (): void => {
    if (text === current) return setError(null);
    const parsed = parseField(field, text);
    if ('error' in parsed) return setError(parsed.error);
    const r = applyField(t, field, parsed.value);
    if ('error' in r) return setError(r.error);
    setError(null);
    setTrainingSettings(r.settings);
  };
  return (
    <label className={`setting${error ? ' invalid' : ''}`} title={field.help}>
      <span>{field.label}</span>
      <input
        type="text"
        inputMode={field.control === 'float' ? 'decimal' : 'numeric'}
        value={text}
        disabled={disabled}
        placeholder={field.control === 'optional-int' ? 'same as seed' : undefined}
        data-testid={`setting-${field.id}`}
        aria-invalid={error !== null}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            setText(current);
            setError(null);
          }
        }}
      />
      {error && <em className="setting-error">{error}</em>}
    </label>
  );
}

function Setting({
  field,
  t,
  disabled,
}: {
  field: SettingField;
  t: TrainingSettings;
  disabled: boolean;
}): ReactElement {
  if (field.control === 'bool')
    return (
      <label className="setting check" title={field.help}>
        <input
          type="checkbox"
          checked={field.get(t) as boolean}
          disabled={disabled}
          data-testid={`setting-${field.id}`}
          onChange={(e) => {
            const r = applyField(t, field, e.target.checked);
            if ('settings' in r) setTrainingSettings(r.settings);
          }}
        />
        <span>{field.label}</span>
      </label>
    );
  if (field.control === 'choice')
    return (
      <label className="setting" title={field.help}>
        <span>{field.label}</span>
        <select
          value={field.get(t) as string}
          disabled={disabled}
          data-testid={`setting-${field.id}`}
          onChange={(e) => {
            const r = applyField(t, field, e.target.value);
            if ('settings' in r) setTrainingSettings(r.settings);
          }}
        >
          {field.options!.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
    );
  // Keyed by the value: an undo or another edit shows the project's value afresh.
  return <TextSetting key={String(field.get(t))} field={field} t={t} disabled={disabled} />;
}

/** Every training setting of the project, editable and undoable; locked while a run is in progress. */
export function SettingsForm({ t, locked }: { t: TrainingSettings; locked: boolean }): ReactElement {
  return (
    <div className="settings-form" data-testid="training-settings">
      <div className="setting readonly" title="The train fraction is what dev and test leave.">
        <span>Train fraction</span>
        <output data-testid="setting-split.train">{Math.round(t.split.train * 1e6) / 1e6}</output>
      </div>
      {SETTING_FIELDS.filter((f) => !f.applies || f.applies(t)).map((f) => (
        <Setting key={f.id} field={f} t={t} disabled={locked} />
      ))}
    </div>
  );
}
