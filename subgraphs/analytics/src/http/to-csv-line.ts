import type { Cell } from '../domain/report-export.ts';

/**
 * One RFC 4180 line: fields with a comma, quote or line break are quoted (quotes doubled). Text that
 * a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with ' (OWASP's CSV injection advice).
 */
export function toCsvLine(cells: Cell[]): string {
  return (
    cells
      .map((cell) => {
        if (cell === null || cell === undefined) return '';
        if (typeof cell === 'number') return String(cell);
        const text = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
        return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
      })
      .join(',') + '\r\n'
  );
}
