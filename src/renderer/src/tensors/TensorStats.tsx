import { memo } from 'react';
import type { ReactElement } from 'react';
import type { TensorSummary } from '../../../shared/api/tensor';
import { formatCount, formatDims, formatValue } from './format';

/** Shape, dtype and the statistics of a whole tensor, as the host computed them. */
export const TensorStats = memo(function TensorStats({ summary }: { summary: TensorSummary }): ReactElement {
  const count = summary.shape.reduce((a, b) => a * b, 1);
  const rows: [string, string, string][] = [
    ['shape', formatDims(summary.shape), `${formatCount(count)} values, ${summary.dtype}`],
    ['min', formatValue(summary.min, 6), ''],
    ['max', formatValue(summary.max, 6), ''],
    ['mean', formatValue(summary.mean, 6), ''],
    ['std', formatValue(summary.std, 6), ''],
    ['‖·‖₂', formatValue(summary.l2, 6), 'Euclidean norm of the finite values'],
    ['NaN', formatCount(summary.nanCount), ''],
    ['Inf', formatCount(summary.infCount), ''],
  ];
  return (
    <table className="tensor-stats" data-testid="tensor-stats">
      <tbody>
        {rows.map(([k, v, note]) => (
          <tr key={k} className={(k === 'NaN' || k === 'Inf') && v !== '0' ? 'bad' : undefined}>
            <th>{k}</th>
            <td className="mono" data-stat={k}>
              {v}
            </td>
            <td className="note">{note}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});
