import { memo, useState } from 'react';
import type { ReactElement } from 'react';
import type { FullTensor } from '../../../shared/api/tensor';
import { cssColor } from './colorMap';
import type { ColorScale } from './colorMap';
import { formatExact, formatValue } from './format';
import { unravelIndex } from './glyphGeometry';

const ROWS_PER_PAGE = 50;
const COLS_PER_PAGE = 32;

/**
 * Every value as a table: one row per index of the leading dimensions, one column per index of
 * the last, paged; each cell tinted by the colour scale and exact on hover.
 */
export const ValueTable = memo(function ValueTable({
  tensor,
  scale,
}: {
  tensor: FullTensor;
  scale: ColorScale;
}): ReactElement {
  const rank = tensor.shape.length;
  const cols = rank === 0 ? 1 : tensor.shape[rank - 1]!;
  const rows = cols === 0 ? 0 : tensor.values.length / cols;
  const lead = tensor.shape.slice(0, -1);
  const [rowPage, setRowPage] = useState(0);
  const [colPage, setColPage] = useState(0);
  const rowPages = Math.max(1, Math.ceil(rows / ROWS_PER_PAGE));
  const colPages = Math.max(1, Math.ceil(cols / COLS_PER_PAGE));
  const r0 = Math.min(rowPage, rowPages - 1) * ROWS_PER_PAGE;
  const c0 = Math.min(colPage, colPages - 1) * COLS_PER_PAGE;
  const r1 = Math.min(rows, r0 + ROWS_PER_PAGE);
  const c1 = Math.min(cols, c0 + COLS_PER_PAGE);
  const colIdx = Array.from({ length: c1 - c0 }, (_, i) => c0 + i);
  const strong = scale.hi - scale.lo;

  return (
    <div className="value-table-wrap" data-testid="value-table">
      <div className="value-table-scroll">
        <table className="value-table mono">
          <thead>
            <tr>
              <th />
              {colIdx.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: r1 - r0 }, (_, i) => r0 + i).map((r) => (
              <tr key={r}>
                <th>{rank <= 1 ? '' : `[${unravelIndex(r, lead).join(', ')}, :]`}</th>
                {colIdx.map((c) => {
                  const v = tensor.values[r * cols + c] ?? null;
                  const t =
                    v === null
                      ? 1
                      : scale.palette === 'diverging'
                        ? Math.abs(v) / (strong / 2)
                        : (v - scale.lo) / strong;
                  return (
                    <td
                      key={c}
                      style={{ background: cssColor(v, scale), color: t > 0.6 ? '#fff' : '#111' }}
                      title={formatExact(v)}
                      data-index={r * cols + c}
                    >
                      {formatValue(v)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {(rowPages > 1 || colPages > 1) && (
        <div className="value-table-pager">
          <Pager
            label="rows"
            page={Math.min(rowPage, rowPages - 1)}
            pages={rowPages}
            from={r0}
            to={r1}
            total={rows}
            onPage={setRowPage}
          />
          {colPages > 1 && (
            <Pager
              label="columns"
              page={Math.min(colPage, colPages - 1)}
              pages={colPages}
              from={c0}
              to={c1}
              total={cols}
              onPage={setColPage}
            />
          )}
        </div>
      )}
    </div>
  );
});

function Pager({
  label,
  page,
  pages,
  from,
  to,
  total,
  onPage,
}: {
  label: string;
  page: number;
  pages: number;
  from: number;
  to: number;
  total: number;
  onPage: (p: number) => void;
}): ReactElement {
  return (
    <span className="pager">
      <button
        type="button"
        className="btn small"
        disabled={page === 0}
        onClick={() => onPage(page - 1)}
        aria-label={`Previous ${label}`}
      >
        ‹
      </button>
      <span>
        {label} {from + 1}–{to} of {total}
      </span>
      <button
        type="button"
        className="btn small"
        disabled={page >= pages - 1}
        onClick={() => onPage(page + 1)}
        aria-label={`Next ${label}`}
      >
        ›
      </button>
    </span>
  );
}
