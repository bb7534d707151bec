import { useState } from 'react';
import type { ReactElement } from 'react';
import type { Response } from '../../../shared/api/contract';
import type { CodeLangId } from '../../../shared/api/export';
import { VERIFIABLE_LANGS } from '../../../shared/api/export';
import { host } from '../api/connection';
import { enqueue } from '../step/stepQueue';
import { ensureReady } from '../step/stepSession';
import type { GraphDoc } from '../state/docModel';
import type { AppState } from '../state/appState';
import { getState } from '../state/store';
import { useApp } from '../state/useApp';

type VerifyResult = Response<'session.verifyCode'>;

/** Which weights a result belongs to: the session, its updates, and whether it is training. */
const weightsKey = (s: AppState): string => `${s.run.session?.id ?? ''}:${s.run.updates}:${s.training.state}`;

const RUNNABLE: ReadonlySet<CodeLangId> = new Set(VERIFIABLE_LANGS);

type Shown = { kind: 'idle' } | { kind: 'done'; result: VerifyResult } | { kind: 'error'; message: string };

const num = (x: number | null): string => (x === null ? 'not a number' : String(Number(x.toPrecision(6))));
const err = (x: number): string => (x === 0 ? '0' : x.toExponential(1));

/** One sentence for a verification, as the student reads it. */
export function verifySentence(r: VerifyResult): string {
  const what = `loss ${num(r.loss.canvas)} on a batch of ${r.batchSize}, ${r.gradients} parameter gradient${
    r.gradients === 1 ? '' : 's'
  } (${r.entries - 1} numbers)`;
  // float64 code against a float32 canvas agrees to float32's rounding, not bit for bit: say so.
  const precisions = r.codeDtype === r.dtype ? '' : `; the code computes in ${r.codeDtype}, the canvas in ${r.dtype}`;
  if (r.same)
    return `Same loss and gradients as the canvas (max error ${err(r.maxError)}${
      r.bitForBit ? ', bit for bit' : precisions ? `, within ${err(r.tolerance)}${precisions}` : ''
    }): ${what}.`;
  const w = r.worst!;
  const where = w.name === 'loss' ? 'the loss' : `${w.name}'s gradient [${w.index}]`;
  return `The code differs from the canvas: ${where} is ${num(w.code)} in the code and ${num(w.canvas)} on the canvas (max error ${err(r.maxError)}, allowed ${err(r.tolerance)}${precisions}).`;
}

/**
 * The Code tab's Verify: the host runs the program shown (in the session's worker, never here) on
 * the step session's batch and current weights, and compares its loss and gradients with the
 * session's own pass. A step session and batch are made as the Step tab would make them.
 */
export function VerifyBar({ doc, lang }: { doc: GraphDoc; lang: CodeLangId }): ReactElement {
  // A result belongs to the program and the weights it checked: another graph, language, session,
  // update or training run shows none.
  const weights = useApp(weightsKey);
  const [answer, setAnswer] = useState<{ shown: Shown; doc: GraphDoc; lang: CodeLangId; weights: string } | null>(null);
  const shown: Shown =
    answer && answer.doc === doc && answer.lang === lang && answer.weights === weights
      ? answer.shown
      : { kind: 'idle' };
  // Read when the answer comes: Verify itself may have opened the session.
  const setShown = (s: Shown) => setAnswer({ shown: s, doc, lang, weights: weightsKey(getState()) });
  const runnable = RUNNABLE.has(lang);

  const [running, setRunning] = useState(false);

  const verify = async () => {
    setRunning(true);
    try {
      const result = await enqueue(async () => {
        const session = await ensureReady();
        return host().invoke('session.verifyCode', { sessionId: session.id, lang });
      });
      setShown({ kind: 'done', result });
    } catch (e) {
      setShown({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    } finally {
      setRunning(false);
    }
  };

  return (
    <div className="code-verify">
      <button
        type="button"
        className="code-action"
        data-testid="code-verify"
        disabled={!runnable || running}
        title={
          runnable
            ? 'Run this program on the step batch and the current weights, and compare its loss and gradients with the canvas'
            : 'Verify runs the TypeScript programs; the PyTorch export is checked against the engine by the test suite'
        }
        onClick={() => void verify()}
      >
        {running ? 'Verifying…' : 'Verify'}
      </button>
      <span
        className={`code-verify-result${shown.kind === 'done' ? (shown.result.same ? ' same' : ' differs') : ''}${
          shown.kind === 'error' ? ' differs' : ''
        }`}
        data-testid="code-verify-result"
        title={
          shown.kind === 'done'
            ? `${verifySentence(shown.result)}${shown.result.note ? ` ${shown.result.note}` : ''}`
            : shown.kind === 'error'
              ? shown.message
              : undefined
        }
        role="status"
      >
        {running && 'Running the generated code…'}
        {!running &&
          shown.kind === 'idle' &&
          (runnable
            ? 'Runs this program on the step batch with the current weights and compares it with the canvas.'
            : 'Verify runs the TypeScript programs.')}
        {!running && shown.kind === 'done' && (
          <>
            {shown.result.same ? '✓ ' : '✗ '}
            {verifySentence(shown.result)}
            {shown.result.note && <span className="muted"> {shown.result.note}</span>}
          </>
        )}
        {!running && shown.kind === 'error' && `✗ Verify failed: ${shown.message}`}
      </span>
    </div>
  );
}
