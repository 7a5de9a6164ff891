/** A dependency-free SVG line of on-hand over time (a few dozen points; no charting library needed). */
export function OnHandChart({ points }: { points: { at: string; onHand: number }[] }) {
  if (points.length === 0) return <p className="muted">No history yet.</p>;
  const width = 600;
  const height = 160;
  const pad = 24;
  const max = Math.max(1, ...points.map((p) => p.onHand));
  const x = (i: number) => pad + (points.length === 1 ? (width - 2 * pad) / 2 : (i * (width - 2 * pad)) / (points.length - 1));
  const y = (v: number) => height - pad - (v * (height - 2 * pad)) / max;
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.onHand).toFixed(1)}`).join(' ');
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label="On hand over time">
      <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} className="axis" />
      <text x={pad} y={pad - 8} className="tick">{max}</text>
      <text x={pad} y={height - 6} className="tick">{points[0].at.slice(0, 10)}</text>
      <text x={width - pad} y={height - 6} className="tick end">{points[points.length - 1].at.slice(0, 10)}</text>
      <path d={line} className="series" />
      {points.map((p, i) => <circle key={p.at} cx={x(i)} cy={y(p.onHand)} r={2.5} className="dot" />)}
    </svg>
  );
}
