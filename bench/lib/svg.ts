/** Tiny hand-rolled SVG charts for the report: horizontal bars and grouped percentile bars. */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const COLORS = ['#2f6fdf', '#9aa5b1', '#e07b39', '#3aa17e'];
const fmt = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));

/** One bar per row, rows grouped (ours / baseline per comparison). */
export function barChart({ title, unit, rows }: { title: string; unit: string; rows: { label: string; value: number; series: number }[] }): string {
  const labelW = 260;
  const barW = 420;
  const rowH = 22;
  const top = 34;
  const height = top + rows.length * rowH + 16;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const bars = rows
    .map((r, i) => {
      const y = top + i * rowH;
      const w = Math.max(1, (r.value / max) * barW);
      return `<text x="${labelW - 6}" y="${y + 15}" text-anchor="end">${esc(r.label)}</text>
<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${COLORS[r.series % COLORS.length]}"/>
<text x="${labelW + w + 4}" y="${y + 15}">${fmt(r.value)}</text>`;
    })
    .join('\n');
  return svg(labelW + barW + 90, height, `<text x="8" y="20" font-weight="bold">${esc(title)} (${esc(unit)})</text>\n${bars}`);
}

/** Latency at each percentile, one group per percentile, one bar per series. */
export function percentileChart({ title, series }: { title: string; series: { label: string; latencyMs: Record<string, number> }[] }): string {
  const keys = ['p50', 'p75', 'p90', 'p97_5', 'p99', 'p99_9'];
  const left = 50;
  const chartH = 180;
  const top = 44;
  const groupW = 30 + series.length * 22;
  const width = left + keys.length * groupW + 20;
  const max = Math.max(1, ...series.flatMap((s) => keys.map((k) => s.latencyMs[k] ?? 0)));
  const parts: string[] = [`<text x="8" y="18" font-weight="bold">${esc(title)} (latency, ms)</text>`];
  series.forEach((s, i) => parts.push(`<rect x="${8 + i * 170}" y="26" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${22 + i * 170}" y="35">${esc(s.label)}</text>`));
  parts.push(`<line x1="${left}" y1="${top + chartH}" x2="${width - 10}" y2="${top + chartH}" stroke="#444"/>`);
  keys.forEach((k, g) => {
    const x0 = left + g * groupW + 10;
    series.forEach((s, i) => {
      const v = s.latencyMs[k] ?? 0;
      const h = Math.max(1, (v / max) * chartH);
      const x = x0 + i * 22;
      parts.push(`<rect x="${x}" y="${(top + chartH - h).toFixed(1)}" width="18" height="${h.toFixed(1)}" fill="${COLORS[i % COLORS.length]}"/>`);
      parts.push(`<text x="${x + 9}" y="${(top + chartH - h - 3).toFixed(1)}" text-anchor="middle" font-size="9">${fmt(v)}</text>`);
    });
    parts.push(`<text x="${x0 + (series.length * 22) / 2}" y="${top + chartH + 14}" text-anchor="middle">${k.replace('_', '.')}</text>`);
  });
  return svg(width, top + chartH + 24, parts.join('\n'));
}

function svg(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
${body}
</svg>
`;
}
