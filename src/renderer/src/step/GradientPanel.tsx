import { useMemo } from 'react';
import type { ReactElement } from 'react';
import { useApp } from '../state/useApp';
import { GradNormChart } from '../tensors/GradNormChart';
import { layerGradNorms } from '../tensors/gradNorms';
import { inspect } from './stepController';

/** Gradient norm per layer once the backward pass has reached its parameters. */
export function GradientPanel(): ReactElement {
  const { params, session } = useApp((s) => ({ params: s.run.params, session: s.run.session }));
  const layers = useMemo(() => {
    const order = session?.parameters.map((p) => p.name) ?? Object.keys(params);
    return layerGradNorms(order.flatMap((name) => (params[name]?.gradient ? [{ name, grad: params[name]!.gradient! }] : [])));
  }, [params, session]);
  return (
    <div className="gradient-panel" data-testid="gradient-panel">
      <div className="step-section-title">Gradient norm per layer</div>
      {layers.length === 0 ? (
        <p className="muted">Appears as the backward pass reaches each layer’s parameters.</p>
      ) : (
        <GradNormChart
          layers={layers}
          width={330}
          onSelect={(layer) => {
            const first = session?.parameters.find((p) => p.name.startsWith(`${layer}.`));
            if (first) inspect({ type: 'parameter', name: first.name });
          }}
        />
      )}
    </div>
  );
}
