import { useState } from 'react';
import type { ReactElement } from 'react';
import type { ParamFieldMeta } from '../../../engine/graph/nodeType';
import type { z } from 'zod';

export type FieldSpec = ParamFieldMeta & { readonly schema: z.ZodType<unknown> };

/** Text shown in the field for a value. */
function toText(field: FieldSpec, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (field.control === 'shape' && Array.isArray(value)) return value.join(' × ');
  if (field.control === 'dims' && Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** Parses what the user typed; `undefined` means "not a value of this kind" (with a reason). */
function fromText(field: FieldSpec, text: string): { value: unknown } | { error: string } {
  const t = text.trim();
  switch (field.control) {
    case 'int':
    case 'float': {
      if (t === '' && field.auto) return { value: null };
      if (t === '') return { error: 'Enter a number.' };
      const n = Number(t);
      if (!Number.isFinite(n)) return { error: `“${t}” is not a number.` };
      if (field.control === 'int' && !Number.isInteger(n)) return { error: 'Enter a whole number.' };
      return { value: n };
    }
    case 'dims': {
      const dims = t
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(Number);
      if (dims.length === 0 || dims.some((d) => !Number.isInteger(d)))
        return { error: 'Enter whole dimension numbers separated by commas, e.g. 0, 2, 1.' };
      return { value: dims };
    }
    case 'shape': {
      if (t === '') return { value: [] };
      const parts = t.split(/[\s,×x*]+/).filter(Boolean);
      const dims = parts.map(Number);
      if (dims.some((d) => !Number.isInteger(d)))
        return { error: 'Enter whole sizes separated by × or commas, e.g. 1 × 8 × 8.' };
      return { value: dims };
    }
    default:
      return { value: t };
  }
}

function firstIssue(field: FieldSpec, value: unknown): string | undefined {
  const r = field.schema.safeParse(value);
  if (r.success) return undefined;
  const msg = r.error.issues[0]?.message ?? 'Invalid value.';
  if (field.min !== undefined && typeof value === 'number' && value < field.min)
    return `Must be at least ${field.min}.`;
  if (field.max !== undefined && typeof value === 'number' && value > field.max) return `Must be at most ${field.max}.`;
  return msg.charAt(0).toUpperCase() + msg.slice(1);
}

interface Props {
  nodeId: string;
  field: FieldSpec;
  value: unknown;
  onChange: (value: unknown) => void;
  onCommit: () => void;
}

/** One parameter, validated as the user types against the registry's zod schema. */
export function ParamField({ nodeId, field, value, onChange, onCommit }: Props): ReactElement {
  const [text, setText] = useState(() => toText(field, value));
  const [error, setError] = useState<string | undefined>(() => firstIssue(field, value));
  const testId = `param-${nodeId}-${field.name}`;

  // Follow outside changes (undo, redo) unless the text already means the value.
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    const parsed = fromText(field, text);
    const same = 'value' in parsed && JSON.stringify(parsed.value) === JSON.stringify(value);
    if (!same) {
      setText(toText(field, value));
      setError(firstIssue(field, value));
    }
  }

  const label = (
    <label className="field-label" htmlFor={testId} title={field.help}>
      {field.label}
      <span className="field-name">{field.name}</span>
    </label>
  );

  if (field.control === 'bool') {
    return (
      <div className="field field-bool">
        <input
          id={testId}
          data-testid={testId}
          type="checkbox"
          checked={value === true}
          onChange={(e) => {
            onChange(e.target.checked);
            onCommit();
          }}
        />
        {label}
      </div>
    );
  }

  if (field.control === 'enum') {
    return (
      <div className="field">
        {label}
        <select
          id={testId}
          data-testid={testId}
          className="text-input"
          value={String(value)}
          onChange={(e) => {
            onChange(e.target.value);
            onCommit();
          }}
        >
          {(field.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    );
  }

  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      {label}
      <input
        id={testId}
        data-testid={testId}
        className="text-input"
        inputMode={field.control === 'shape' || field.control === 'dims' ? 'text' : 'decimal'}
        placeholder={field.auto ? 'auto (from the input)' : undefined}
        value={text}
        aria-invalid={!!error}
        onChange={(e) => {
          setText(e.target.value);
          const parsed = fromText(field, e.target.value);
          if ('error' in parsed) {
            setError(parsed.error);
            return;
          }
          const issue = firstIssue(field, parsed.value);
          setError(issue);
          if (!issue) onChange(parsed.value);
        }}
        onBlur={() => {
          onCommit();
          setText(toText(field, value));
          setError(firstIssue(field, value));
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
        }}
      />
      {error && (
        <div className="field-error" data-testid={`${testId}-error`}>
          {error}
        </div>
      )}
    </div>
  );
}
