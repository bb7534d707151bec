import type { StepRun } from './stepTypes';

/**
 * The step bar's one line about where the pass is, in place of a toast per step: a student
 * reads what happened and what comes next without anything covering the buttons.
 */
export function stepStatus(
  run: Pick<StepRun, 'busy' | 'session' | 'phase' | 'lastReport' | 'updates' | 'previewPass'>,
): string {
  if (run.busy !== null) return run.session ? `${run.busy}…` : `${run.busy}: starting the session…`;
  if (run.previewPass && (run.phase === 'forwarded' || run.phase === 'backwarded'))
    return `Live preview of the batch: step forward to go through it node by node${run.phase === 'forwarded' ? ', or step backward' : ''}.`;
  const r = run.lastReport;
  switch (run.phase) {
    case 'empty':
      return 'Step forward to evaluate the first node on a batch of the data set.';
    case 'ready':
      return 'Batch loaded: step forward.';
    case 'forward':
      return r ? `Forward: node ${r.index + 1} of ${r.total}.` : 'Forward pass under way.';
    case 'forwarded':
      return 'Forward pass complete: step backward, or reset.';
    case 'backward':
      return r ? `Backward: node ${r.index + 1} of ${r.total}.` : 'Backward pass under way.';
    case 'backwarded':
      return 'Backward pass complete: apply the update, or reset.';
    case 'updated':
      return `Update ${run.updates} applied: step forward for a new pass.`;
  }
}

/**
 * The step action the bar emphasises: the one its status line says comes next (forward until the
 * pass is complete, then backward, then the update), so the highlighted button never contradicts
 * the sentence beside it. While a run is paused the update is the run's to make, so forward.
 */
export function nextStepAction(
  phase: StepRun['phase'],
  paused: boolean,
): 'step.forward' | 'step.backward' | 'step.applyUpdate' {
  if (phase === 'forwarded' || phase === 'backward') return 'step.backward';
  if (phase === 'backwarded') return paused ? 'step.forward' : 'step.applyUpdate';
  return 'step.forward';
}
