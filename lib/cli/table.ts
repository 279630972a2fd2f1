/** Terminal width the CLI's tables and summaries are laid out for. */
export const TERMINAL_COLUMNS = 100;

export interface TableOptions {
  /** The widest a line may be; the `shrink` column is cut (ending in "…") until the table fits. */
  readonly maxWidth?: number;
  readonly shrink?: number;
}

const SEPARATOR = '  ';
const MIN_SHRUNK_WIDTH = 8;

function cut(cell: string, width: number): string {
  return cell.length <= width ? cell : `${cell.slice(0, Math.max(0, width - 1))}…`;
}

/** Left-aligned columns separated by two spaces, as kubectl prints them. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  { maxWidth = Number.POSITIVE_INFINITY, shrink }: TableOptions = {},
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const total =
    widths.reduce((sum, width) => sum + width, 0) + SEPARATOR.length * (widths.length - 1);
  if (shrink !== undefined && total > maxWidth) {
    widths[shrink] = Math.max(MIN_SHRUNK_WIDTH, (widths[shrink] ?? 0) - (total - maxWidth));
  }
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        const fitted = column === shrink ? cut(cell, width) : cell;
        return column === cells.length - 1 ? fitted : fitted.padEnd(width);
      })
      .join(SEPARATOR)
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** Words wrapped to `width` columns, continuation lines starting with `indent`. */
export function wrapText(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const prefix = lines.length === 0 ? '' : indent;
    if (line && (prefix + line + ' ' + word).length > width) {
      lines.push(prefix + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push((lines.length === 0 ? '' : indent) + line);
  return lines.join('\n');
}
