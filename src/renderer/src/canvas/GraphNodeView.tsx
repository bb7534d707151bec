import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ComponentType, ReactElement } from 'react';
import { PORT_KIND_LABELS } from '../../../engine/graph/nodeType';
import type { InputPortDef, OutputPortDef } from '../../../engine/graph/nodeType';
import { ErrorIcon } from '../icons/Icons';
import { INCOMPLETE_CODES } from '../state/analysis';
import { NodeIcon, familyClass } from './families';
import type { GraphFlowNode } from './flowTypes';

function inputTitle(p: InputPortDef): string {
  const kinds = p.accepts.map((k) => PORT_KIND_LABELS[k] ?? k).join(' or ');
  return `${p.label}: takes ${kinds}${p.required ? '' : ' (optional)'}${p.help ? `\n${p.help}` : ''}`;
}

function outputTitle(p: OutputPortDef): string {
  const kind = p.kind === 'dynamic' ? 'a kind set by its input or parameters' : PORT_KIND_LABELS[p.kind];
  return `${p.label}: gives ${kind}${p.help ? `\n${p.help}` : ''}`;
}

/** Handles carry their port kinds as classes so that CSS can colour them and tests can find them. */
function kindClass(kinds: readonly string[]): string {
  return kinds.map((k) => `kind-${k}`).join(' ');
}

function NodeBody({ id, data, selected }: NodeProps<GraphFlowNode>): ReactElement {
  const { node, def, summary, errors, stepping } = data;
  // Outside the part that runs: greyed, with its reason, never styled as an error that blocks.
  const ignored = errors[0]?.code === 'ignored-node';
  const hasError = errors.length > 0 && !ignored;
  // Missing wires are the normal state while building: shown, but quieter than a real mistake.
  const incomplete = hasError && errors.every((e) => INCOMPLETE_CODES.has(e.code));
  const title = node.label ?? def?.title ?? (node.type || 'Unknown');
  const ins = def?.inputs ?? [];
  const outs = def?.outputs ?? [];
  const rows = Math.max(ins.length, outs.length);
  return (
    <div
      className={`gnode ${familyClass(def?.family)}${selected ? ' selected' : ''}${hasError && !incomplete ? ' has-error' : ''}${incomplete ? ' incomplete' : ''}${ignored ? ' ignored' : ''}${stepping ? ' stepping' : ''}`}
      data-testid={`node-${id}`}
      data-node-type={node.type}
    >
      <div className="gnode-header">
        <span className="gnode-icon">
          <NodeIcon type={node.type} family={def?.family} size={13} />
        </span>
        <span className="gnode-title" title={title}>
          {title}
        </span>
        {hasError && (
          <span
            className="gnode-badge"
            title={errors.map((e) => e.message).join('\n')}
            data-testid={`node-error-badge-${id}`}
          >
            <ErrorIcon size={13} />
          </span>
        )}
      </div>
      {rows > 0 && (
        <div className="gnode-ports">
          {Array.from({ length: rows }, (_, i) => {
            const inp = ins[i];
            const out = outs[i];
            return (
              <div className="gnode-row" key={i}>
                {inp ? (
                  <div className="gnode-port in" title={inputTitle(inp)}>
                    <Handle
                      type="target"
                      position={Position.Left}
                      id={inp.name}
                      className={`port-handle ${kindClass(inp.accepts)} ${inp.accepts.map((k) => `accepts-${k}`).join(' ')}${inp.required ? '' : ' optional'}`}
                      data-testid={`handle-${id}-in-${inp.name}`}
                    />
                    <span className="port-label">{inp.label}</span>
                  </div>
                ) : (
                  <span />
                )}
                {out ? (
                  <div className="gnode-port out" title={outputTitle(out)}>
                    <span className="port-label">{out.label}</span>
                    <Handle
                      type="source"
                      position={Position.Right}
                      id={out.name}
                      className={`port-handle kind-${out.kind}`}
                      data-testid={`handle-${id}-out-${out.name}`}
                    />
                  </div>
                ) : (
                  <span />
                )}
              </div>
            );
          })}
        </div>
      )}
      <div className="gnode-summary">
        <span data-testid={`node-summary-${id}`}>{summary}</span>
        <span className="gnode-id">{id}</span>
      </div>
      {ignored && (
        <div
          className="gnode-error ignored"
          data-testid={`node-ignored-${id}`}
          title={errors.map((e) => e.message).join('\n')}
        >
          {errors[0].message}
        </div>
      )}
      {hasError && (
        <div className={`gnode-error${incomplete ? ' incomplete' : ''}`} data-testid={`node-error-${id}`}>
          {errors[0].message}
          {errors.length > 1 && <span className="gnode-more"> (+{errors.length - 1} more)</span>}
        </div>
      )}
    </div>
  );
}

/** One memo component per family (STYLE 15); they share the body and differ in their family class. */
function familyComponent(name: string): ComponentType<NodeProps<GraphFlowNode>> {
  const C = memo(NodeBody);
  C.displayName = name;
  return C;
}

export const DataNode = familyComponent('DataNode');
export const LayerNode = familyComponent('LayerNode');
export const ActivationNode = familyComponent('ActivationNode');
export const LossNode = familyComponent('LossNode');
export const PredictionNode = familyComponent('PredictionNode');
export const UnknownNode = familyComponent('UnknownNode');
