import { memo, useMemo } from 'react';
import type { DragEvent, ReactElement } from 'react';
import { nodeTypes } from '../../../engine/graph/registry/registerAll';
import type { AnyNodeTypeDef } from '../../../engine/graph/nodeType';
import { runAction } from '../actions/registry';
import { NodeIcon, familyClass } from '../canvas/families';
import { SearchIcon } from '../icons/Icons';
import { Splitter } from './Splitter';
import { updateUi } from '../state/store';
import { useApp } from '../state/useApp';

/** The MIME type a palette item carries while dragged onto the canvas. */
export const NODE_DRAG_MIME = 'application/x-backprop-node-type';

function matches(def: AnyNodeTypeDef, q: string): boolean {
  if (!q) return true;
  const hay = `${def.title} ${def.type} ${def.family} ${def.description}`.toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

const PaletteItem = memo(function PaletteItem({ def }: { def: AnyNodeTypeDef }): ReactElement {
  const onDragStart = (e: DragEvent<HTMLDivElement>): void => {
    e.dataTransfer.setData(NODE_DRAG_MIME, def.type);
    e.dataTransfer.setData('text/plain', def.type);
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <div
      className={`palette-item ${familyClass(def.family)}`}
      draggable
      role="button"
      tabIndex={0}
      title={`${def.description}\nDrag onto the canvas, or double-click to add it at the centre.`}
      data-testid={`palette-item-${def.type}`}
      onDragStart={onDragStart}
      onDoubleClick={() => void runAction('graph.addNode', { type: def.type })}
      onKeyDown={(e) => {
        if (e.key === 'Enter') void runAction('graph.addNode', { type: def.type });
      }}
    >
      <span className="palette-icon">
        <NodeIcon type={def.type} family={def.family} />
      </span>
      <span className="palette-title">{def.title}</span>
    </div>
  );
});

export function Palette(): ReactElement {
  const query = useApp((s) => s.ui.paletteQuery);
  const groups = useMemo(
    () =>
      nodeTypes
        .byFamily()
        .map((g) => ({ family: g.family, types: g.types.filter((d) => matches(d, query)) }))
        .filter((g) => g.types.length > 0),
    [query],
  );
  return (
    <aside className="side left palette" data-testid="palette">
      <Splitter cssVar="--left-w" axis="x" min={160} max={420} label="Resize the palette" testId="splitter-left" />
      <div className="panel-header">Nodes</div>
      <div className="palette-search">
        <SearchIcon size={14} />
        <input
          type="search"
          placeholder="Search nodes"
          aria-label="Search nodes"
          data-testid="palette-search"
          value={query}
          onChange={(e) => updateUi({ paletteQuery: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Escape') updateUi({ paletteQuery: '' });
          }}
        />
      </div>
      <div className="panel-scroll">
        {groups.length === 0 && <p className="palette-empty">No node matches “{query}”.</p>}
        {groups.map((g) => (
          <section key={g.family} className="palette-group" data-testid={`palette-group-${g.family}`}>
            <h3>{g.family}</h3>
            {g.types.map((def) => (
              <PaletteItem key={def.type} def={def} />
            ))}
          </section>
        ))}
      </div>
    </aside>
  );
}
