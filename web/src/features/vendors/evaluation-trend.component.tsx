import { useTranslation } from 'react-i18next';
import type { VendorEvaluation } from './vendor-types';

const W = 360;
const H = 120;
const PAD = 24;

/** Total score per year as a small line chart (0-100 scale, grade thresholds dashed); plain SVG, no chart library. */
export function EvaluationTrend({ evaluations }: { evaluations: readonly VendorEvaluation[] }) {
  const { t } = useTranslation();
  if (evaluations.length < 2) return null;
  const sorted = [...evaluations].sort((a, b) => a.year - b.year);
  const x = (i: number) => PAD + (i * (W - 2 * PAD)) / (sorted.length - 1);
  const y = (score: number) => H - PAD - (score / 100) * (H - 2 * PAD);
  const points = sorted.map((e, i) => `${x(i)},${y(Number(e.total))}`).join(' ');
  return (
    <svg width={W} height={H} role="img" aria-label={t('vendor.evaluation.trend')} data-testid="evaluation-trend" style={{ maxWidth: '100%' }}>
      {[90, 75, 60].map((g) => (
        <g key={g}>
          <line x1={PAD} x2={W - PAD} y1={y(g)} y2={y(g)} stroke="#d9d9d9" strokeDasharray="4 4" />
          <text x={W - PAD + 2} y={y(g) + 4} fontSize={10} fill="#8c8c8c">
            {g}
          </text>
        </g>
      ))}
      <polyline points={points} fill="none" stroke="#1677ff" strokeWidth={2} />
      {sorted.map((e, i) => (
        <g key={e.id}>
          <circle cx={x(i)} cy={y(Number(e.total))} r={3} fill="#1677ff" />
          <text x={x(i)} y={y(Number(e.total)) - 6} fontSize={10} textAnchor="middle">
            {e.total}
          </text>
          <text x={x(i)} y={H - 6} fontSize={10} textAnchor="middle" fill="#8c8c8c">
            {e.year}
          </text>
        </g>
      ))}
    </svg>
  );
}
