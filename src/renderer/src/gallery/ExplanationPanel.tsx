import type { ReactElement } from 'react';
import { CloseIcon } from '../icons/Icons';
import { appStore } from '../state/store';
import { useApp } from '../state/useApp';

const close = (): void => appStore.setState((s) => ({ ui: { ...s.ui, example: null } }));

/** The open example's explanation beside the canvas: topic, stated result, and the text in paragraphs. */
export function ExplanationPanel(): ReactElement | null {
  const example = useApp((s) => s.ui.example);
  if (!example) return null;
  const paragraphs = example.explanation.split(/\n\s*\n/).filter((p) => p.trim() !== '');
  return (
    <section className="explanation" data-testid="example-explanation" aria-label={`About ${example.title}`}>
      <div className="explanation-header">
        <div>
          <div className="gallery-topic">{example.topic || 'Example'}</div>
          <h2>{example.title}</h2>
        </div>
        <button type="button" className="icon-button" aria-label="Close the explanation" onClick={close}>
          <CloseIcon />
        </button>
      </div>
      <div className="explanation-body">
        {paragraphs.map((p, i) => {
          const m = /^(What to look at|Try next):\s*/.exec(p);
          return (
            <p key={i}>
              {m ? <strong>{m[1]}: </strong> : null}
              {m ? p.slice(m[0].length) : p}
            </p>
          );
        })}
        {example.result && (
          <p className="explanation-result" data-testid="example-result">
            <strong>Stated result: </strong>
            {example.result}
          </p>
        )}
      </div>
    </section>
  );
}
