import type { ReactElement } from 'react';
import { shortcutLabel, shortcutOf } from '../actions/keys';
import { getAction, runAction } from '../actions/registry';
import { useApp } from '../state/useApp';
import { describeTransform, hasImageInput, isIdentityTransform } from './batchChoice';

function LabButton({ action, text, disabled }: { action: string; text: string; disabled: boolean }): ReactElement {
  const a = getAction(action);
  const mode = useApp((s) => s.host.mode);
  const shortcut = a ? shortcutOf(a, mode) : undefined;
  return (
    <button
      type="button"
      className="lab-button"
      title={`${a?.label ?? action}${shortcut ? ` (${shortcutLabel(shortcut)})` : ''}: the forward pass runs again on the changed images`}
      aria-label={a?.label ?? action}
      disabled={disabled}
      onClick={() => void runAction(action)}
      data-testid={`lab-${action.slice(5)}`}
    >
      {text}
    </button>
  );
}

/**
 * The equivariance lab in the step bar: turn the batch's images a quarter turn or shift them by
 * a pixel, and the forward pass runs again — a convolution's feature maps shift with the input
 * but do not turn with it; a p4 convolution's turn, and their four orientation tiles cycle.
 */
export function EquivarianceControl(): ReactElement | null {
  const { images, transform, off } = useApp((s) => ({
    images: hasImageInput(s.doc.graph.nodes),
    transform: s.run.batch.transform,
    off:
      s.host.status !== 'connected' ||
      s.run.busy !== null ||
      s.training.state === 'running' ||
      s.training.state === 'paused',
  }));
  if (!images) return null;
  return (
    <div
      className="equivariance-lab"
      role="group"
      aria-label="Equivariance: turn or shift the input"
      data-testid="equivariance-lab"
    >
      <span
        className="lab-title"
        title="Equivariance: turn or shift the input images and watch the feature maps follow (a convolution's shift, a p4 convolution's also turn)"
      >
        Equivariance
      </span>
      <LabButton action="step.rotateInput" text="⟲ 90°" disabled={off} />
      <LabButton action="step.shiftInputRight" text="→ 1" disabled={off} />
      <LabButton action="step.shiftInputDown" text="↓ 1" disabled={off} />
      {!isIdentityTransform(transform) && <LabButton action="step.resetInput" text="reset" disabled={off} />}
      <span className="lab-note" data-testid="lab-note">
        {describeTransform(transform)}
      </span>
    </div>
  );
}
