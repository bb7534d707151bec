import { useMemo } from 'react';
import type { ReactElement } from 'react';
import { useApp } from '../state/useApp';
import { GradNormChart } from '../tensors/GradNormChart';
import { layerGradNorms } from '../tensors/gradNorms';
import { NONFINITE_RGB, paletteGradient } from '../tensors/colorMap';
import { inspect } from './stepController';

/** How to read the glyphs: one diverging map, each tensor scaled to its own largest magnitude. */
function StepLegend(): ReactElement {
  return (
    <div
      className="step-legend"
      data-testid="step-legend"
      title="Every glyph uses this colour map, scaled to its own tensor: the ± number under a glyph is its largest |value|. Input images are drawn in grey (dark = high)."
    >
      <span className="mono">−max</span>
      <span className="step-legend-bar" style={{ background: paletteGradient('diverging') }} />
      <span className="mono">+max</span>
      <span className="step-legend-zero">white = 0</span>
      <span className="swatch" style={{ background: `rgb(${NONFINITE_RGB.join(',')})` }} />
      <span>NaN/Inf</span>
    </div>
  );
}

/** Gradient norm per layer once the backward pass has reached its parameters. */
export function GradientPanel(): ReactElement {
  const { params, session } = useApp((s) => ({ params: s.run.params, session: s.run.session }));
  const layers = useMemo(() => {
    const order = session?.parameters.map((p) => p.name) ?? Object.keys(params);
    return layerGradNorms(
      order.flatMap((name) => (params[name]?.gradient ? [{ name, grad: params[name]!.gradient! }] : [])),
    );
  }, [params, session]);
  return (
    <div className="gradient-panel" data-testid="gradient-panel">
      <StepLegend />
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
