import { describe, expect, it } from 'vitest';
import { nextStepAction, stepStatus } from './stepStatus';
import { initialStepRun } from './stepTypes';

describe('stepStatus', () => {
  it('names the command in flight, and the start-up before the first step', () => {
    expect(stepStatus({ ...initialStepRun(), busy: 'Forward step' })).toBe('Forward step: starting the session…');
  });

  it('says where a pass is and what comes next', () => {
    const run = initialStepRun();
    expect(stepStatus({ ...run, phase: 'backwarded' })).toBe('Backward pass complete: apply the update, or reset.');
    expect(stepStatus({ ...run, phase: 'updated', updates: 3 })).toBe('Update 3 applied: step forward for a new pass.');
  });

  it("says that a live preview's pass is there, and that a forward step starts it again", () => {
    const run = { ...initialStepRun(), previewPass: true };
    expect(stepStatus({ ...run, phase: 'forwarded' })).toBe(
      'Live preview of the batch: step forward to go through it node by node, or step backward.',
    );
    expect(stepStatus({ ...run, phase: 'backwarded' })).toBe(
      'Live preview of the batch: step forward to go through it node by node.',
    );
  });
});

describe('nextStepAction', () => {
  it('emphasises the action the status line names next, through a whole pass', () => {
    const walk = (['empty', 'ready', 'forward', 'forwarded', 'backward', 'backwarded', 'updated'] as const).map((p) =>
      nextStepAction(p, false),
    );
    expect(walk).toEqual([
      'step.forward',
      'step.forward',
      'step.forward',
      'step.backward',
      'step.backward',
      'step.applyUpdate',
      'step.forward',
    ]);
  });

  it('never emphasises the update while a training run is paused (it is the run’s to make)', () => {
    expect(nextStepAction('backwarded', true)).toBe('step.forward');
  });
});
