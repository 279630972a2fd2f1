/** Small, dependency-free SVG charts for the HTML report. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface LineChartOptions {
  /** Identifies the chart in the page (`data-chart`). */
  readonly id: string;
  readonly title: string;
  readonly series: readonly Series[];
  readonly formatX: (value: number) => string;
  readonly formatY: (value: number) => string;
  /** Counts: y ticks at whole numbers only. */
  readonly wholeY?: boolean;
  /** Where the x axis has labels, given its largest value; default: quarters. */
  readonly xTicks?: (maxX: number) => readonly number[];
  /** Counts change in steps; a total accrues in straight lines. */
  readonly stepped: boolean;
  /** Axis titles, with units. */
  readonly xTitle: string;
  readonly yTitle: string;
  /** Vertical lines at these x values (interruptions, disruptions), each with its kind. */
  readonly markers?: readonly {
    readonly x: number;
    readonly kind: string;
    readonly color: string;
  }[];
}

const WIDTH = 760;
const HEIGHT = 260;
const MARGIN = { left: 72, right: 24, top: 36, bottom: 52 };
const MAX_TICKS = 5;
/** Chart text is 12 units high; a character is at most about 0.62 of that wide. */
const CHAR_WIDTH = 7.5;
const LEGEND_GAP = 24;

/**
 * Ticks at round values (1, 2 or 5 × 10ⁿ apart, and at least `minStep`) from 0 to a top at or
 * above `max`, in at most five steps.
 */
export function niceTicks(max: number, minStep = 0): number[] {
  const top = max > 0 ? max : 1;
  const magnitude = 10 ** Math.floor(Math.log10(top / MAX_TICKS));
  const step =
    [1, 2, 5, 10]
      .map((factor) => factor * magnitude)
      .find((candidate) => top / candidate <= MAX_TICKS) ?? 10 * magnitude;
  const spacing = Math.max(step, minStep);
  const count = Math.ceil(top / spacing - 1e-9);
  return Array.from({ length: count + 1 }, (_, index) => Number((index * spacing).toPrecision(12)));
}

function pathOf(points: readonly (readonly [number, number])[], stepped: boolean): string {
  return points
    .map(([x, y], index) => {
      const previous = points[index - 1];
      const flat = stepped && previous ? `L${x.toFixed(1)},${previous[1].toFixed(1)} ` : '';
      return `${index === 0 ? 'M' : `${flat}L`}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

/** Legend entries in a row above the plot, each as wide as its name needs. */
function legendOf(entries: readonly { readonly name: string; readonly swatch: string }[]): string {
  let x = MARGIN.left;
  const items = entries.map(({ name, swatch }) => {
    const item = `<g class="legend" transform="translate(${x} 12)">${swatch}<text x="18" y="10">${escapeHtml(name)}</text></g>`;
    x += 18 + name.length * CHAR_WIDTH + LEGEND_GAP;
    return item;
  });
  return items.join('');
}

export function lineChart(options: LineChartOptions): string {
  const all = options.series.flatMap(({ points }) => points);
  const maxX = Math.max(1, ...all.map(([x]) => x));
  const yTicks = niceTicks(Math.max(0, ...all.map(([, y]) => y)), options.wholeY ? 1 : 0);
  const maxY = yTicks.at(-1) ?? 1;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + (x / maxX) * plotWidth;
  const sy = (y: number) => MARGIN.top + plotHeight - (y / maxY) * plotHeight;
  const yGrid = yTicks
    .map((y) =>
      [
        `<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${sy(y).toFixed(1)}" y2="${sy(y).toFixed(1)}"/>`,
        `<text class="tick" x="${MARGIN.left - 6}" y="${(sy(y) + 4).toFixed(1)}" text-anchor="end">${escapeHtml(options.formatY(y))}</text>`,
      ].join(''),
    )
    .join('');
  const xLabels = (options.xTicks ?? ((max: number) => niceTicks(max)))(maxX)
    .filter((x) => x <= maxX)
    .map(
      (x) =>
        `<text class="tick" x="${sx(x).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle">${escapeHtml(options.formatX(x))}</text>`,
    )
    .join('');
  const titles =
    `<text class="axis-title" data-axis="x" x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escapeHtml(options.xTitle)}</text>` +
    `<text class="axis-title" data-axis="y" transform="translate(16 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(options.yTitle)}</text>`;
  const markers = (options.markers ?? [])
    .map(
      ({ x, kind, color }) =>
        `<line class="marker" data-kind="${escapeHtml(kind)}" x1="${sx(x).toFixed(1)}" x2="${sx(x).toFixed(1)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="${color}" stroke-dasharray="3 3"><title>${escapeHtml(kind)}</title></line>`,
    )
    .join('');
  const grid = yGrid + xLabels + titles + markers;
  const lines = options.series
    .map(
      ({ name, color, points }) =>
        `<path class="series" data-series="${escapeHtml(name)}" fill="none" stroke="${color}" stroke-width="2" d="${pathOf(
          points.map(([x, y]) => [sx(x), sy(y)]),
          options.stepped,
        )}"/>`,
    )
    .join('');
  const markerKinds = new Map((options.markers ?? []).map(({ kind, color }) => [kind, color]));
  const legend = legendOf([
    ...options.series.map(({ name, color }) => ({
      name,
      swatch: `<rect width="12" height="12" fill="${color}"/>`,
    })),
    ...[...markerKinds].map(([kind, color]) => ({
      name: kind,
      swatch: `<line x1="6" x2="6" y1="0" y2="12" stroke="${color}" stroke-width="2" stroke-dasharray="3 3"/>`,
    })),
  ]);
  return `<svg class="chart" data-chart="${escapeHtml(options.id)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(options.title)}"><title>${escapeHtml(options.title)}</title>${grid}${legend}${lines}</svg>`;
}

export interface Bar {
  readonly label: string;
  readonly value: number;
}

export function barChart(options: {
  readonly id: string;
  readonly title: string;
  readonly bars: readonly Bar[];
  readonly format: (value: number) => string;
  readonly color: string;
}): string {
  const rowHeight = 28;
  const labelWidth = 180;
  const height = MARGIN.top + options.bars.length * rowHeight + 8;
  const maxValue = Math.max(0, ...options.bars.map(({ value }) => value)) || 1;
  const barWidth = WIDTH - labelWidth - MARGIN.right - 90;
  const rows = options.bars
    .map(({ label, value }, index) => {
      const y = MARGIN.top + index * rowHeight;
      const width = Math.max(value > 0 ? 1 : 0, (value / maxValue) * barWidth);
      return [
        `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${escapeHtml(label)}</text>`,
        `<rect class="bar" data-value="${value}" x="${labelWidth}" y="${y + 4}" width="${width.toFixed(1)}" height="${rowHeight - 8}" fill="${options.color}"/>`,
        `<text x="${(labelWidth + width + 6).toFixed(1)}" y="${y + 17}">${escapeHtml(options.format(value))}</text>`,
      ].join('');
    })
    .join('');
  return `<svg class="chart" data-chart="${escapeHtml(options.id)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeHtml(options.title)}"><title>${escapeHtml(options.title)}</title><text x="${MARGIN.left}" y="22" class="heading">${escapeHtml(options.title)}</text>${rows}</svg>`;
}
