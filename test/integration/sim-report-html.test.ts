import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SCENARIO = fileURLToPath(new URL('../../examples/scenarios/web-burst.yaml', import.meta.url));

/** How a chart is laid out in the page, as the clipping and legibility checks read it. */
interface ChartLayout {
  readonly id: string;
  /** The texts drawn outside the chart's frame. */
  readonly clipped: readonly string[];
  readonly smallestTextPx: number;
  readonly overlappingLegend: boolean;
}

describe('skyscale simulate --report, rendered in headless Chromium', () => {
  let workDir: string;
  let browser: Browser;
  let reportFile: string;
  const out: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium), as .ci/run does`,
      );
    workDir = mkdtempSync(join(tmpdir(), 'skyscale-report-'));
    reportFile = join(workDir, 'report.html');
    const code = await main(['simulate', SCENARIO, '--report', reportFile], {
      out: (text) => void out.push(text),
      err: () => undefined,
    });
    if (code !== 0) throw new Error(`skyscale simulate exited ${code}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('draws nodes, pods, cost and NodePool charts without fetching anything', async () => {
    // Prepare
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requested: string[] = [];
    page.on('request', (request) => void requested.push(request.url()));
    // Act
    await page.goto(pathToFileURL(reportFile).href);
    const charts = await page.$$eval('svg[data-chart]', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return {
          id: svg.getAttribute('data-chart'),
          width: box.width,
          height: box.height,
          lines: [...svg.querySelectorAll('path.series')].map((path) => ({
            series: path.getAttribute('data-series'),
            length: (path as unknown as { getTotalLength(): number }).getTotalLength(),
          })),
          axisTitles: [...svg.querySelectorAll('.axis-title')].map((text) => text.textContent),
          legend: [...svg.querySelectorAll('.legend text')].map((text) => text.textContent),
          ticks: [...svg.querySelectorAll('text.tick')].map((text) => text.textContent ?? ''),
          bars: [...svg.querySelectorAll('rect.bar')].map(
            (bar) => bar.getBoundingClientRect().width,
          ),
        };
      }),
    );
    // Assess
    expect(requested).toEqual([pathToFileURL(reportFile).href]);
    expect(charts.map(({ id }) => id)).toEqual(['nodes', 'pods', 'cost', 'nodepools']);
    for (const chart of charts) expect(chart.width * chart.height).toBeGreaterThan(0);
    const [nodes, pods, cost, nodePools] = charts;
    expect(nodes?.lines.map(({ series }) => series)).toEqual([
      'spot (Ready)',
      'on-demand (Ready)',
      'launching',
    ]);
    // The run's disruptions are marked on every time line, and the legend says what the marks are.
    for (const chart of [nodes, pods, cost]) expect(chart?.legend).toContain('disruption');
    expect(pods?.lines.map(({ series }) => series)).toEqual(['running', 'pending']);
    expect(pods?.lines.every(({ length }) => length > 100)).toBe(true);
    expect(nodes?.axisTitles).toEqual(['time since start (h:mm)', 'nodes']);
    expect(pods?.axisTitles).toEqual(['time since start (h:mm)', 'pods']);
    expect(cost?.axisTitles).toEqual(['time since start (h:mm)', 'USD spent']);
    expect(cost?.lines.map(({ series }) => series)).toEqual([
      'cost so far (USD)',
      'lower bound so far (USD)',
    ]);
    expect(cost?.lines.every(({ length }) => length > 100)).toBe(true);
    expect(nodePools?.bars).toHaveLength(1);
    expect(nodePools?.bars[0]).toBeGreaterThan(0);
    // Count axes are labelled at whole numbers 1, 2 or 5 × 10ⁿ apart; time axes at whole minutes.
    for (const chart of [nodes, pods]) {
      const values = (chart?.ticks ?? []).filter((tick) => !tick.includes(':')).map(Number);
      const step = (values[1] ?? 0) - (values[0] ?? 0);
      expect(values.every(Number.isInteger)).toBe(true);
      expect(String(step)).toMatch(/^[125]0*$/);
    }
    await page.close();
  });

  const widths = [
    ['a desktop window', 1400],
    ['a phone', 390],
  ] as const;

  it.each(widths)(
    'fits %s without clipping a label, with legible chart text and legend entries apart',
    async (_name, width) => {
      // Prepare
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      // Act
      await page.goto(pathToFileURL(reportFile).href);
      const pageWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
      const charts = await page.$$eval('svg[data-chart]', (svgs) =>
        svgs.map((svg): ChartLayout => {
          const frame = svg.getBoundingClientRect();
          const scale = frame.width / svg.viewBox.baseVal.width;
          const texts = [...svg.querySelectorAll('text')];
          const window = globalThis as unknown as {
            getComputedStyle(element: unknown): { fontSize: string };
          };
          const legend = [...svg.querySelectorAll('.legend')].map((entry) =>
            entry.getBoundingClientRect(),
          );
          return {
            id: String(svg.getAttribute('data-chart')),
            clipped: texts
              .filter((text) => {
                const box = text.getBoundingClientRect();
                return (
                  box.left < frame.left - 0.5 ||
                  box.right > frame.right + 0.5 ||
                  box.top < frame.top - 0.5 ||
                  box.bottom > frame.bottom + 0.5
                );
              })
              .map((text): string => text.textContent ?? ''),
            smallestTextPx: Math.min(
              ...texts.map((text) => parseFloat(window.getComputedStyle(text).fontSize) * scale),
            ),
            overlappingLegend: legend.some((box, index) =>
              legend.slice(index + 1).some((other) => other.left < box.right),
            ),
          };
        }),
      );
      // Assess
      for (const chart of charts) {
        expect(chart.clipped, chart.id).toEqual([]);
        expect(chart.smallestTextPx, chart.id).toBeGreaterThanOrEqual(9);
        expect(chart.overlappingLegend, chart.id).toBe(false);
      }
      expect(pageWidth).toBeLessThanOrEqual(width);
      await page.close();
    },
  );

  it.each(widths)('breaks no word of a table header or cell in %s', async (_name, width) => {
    // Prepare
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    // Act
    await page.goto(pathToFileURL(reportFile).href);
    const broken = await page.$$eval('th, td', (cells) =>
      cells.flatMap((header) => {
        const text = header.firstChild;
        if (text?.nodeType !== 3) return [];
        const content: string = text.textContent ?? '';
        // Words as a browser may wrap them: between spaces, or after a hyphen.
        return [...content.matchAll(/[^\s-]+-?/g)].flatMap((match) => {
          const word = match[0];
          const range = header.ownerDocument.createRange();
          range.setStart(text, match.index);
          range.setEnd(text, match.index + word.length);
          // A word laid out on more than one line was broken inside.
          const rects = range.getClientRects() as unknown as ArrayLike<{ top: number }>;
          return new Set(Array.from(rects, ({ top }) => Math.round(top))).size > 1 ? [word] : [];
        });
      }),
    );
    const headers = await page.$$eval('th', (cells) => cells.length);
    // Assess
    expect(headers).toBeGreaterThan(0);
    expect(broken).toEqual([]);
    await page.close();
  });

  it('shows the same totals as the terminal summary', async () => {
    // Prepare
    const page = await browser.newPage();
    const summary = out.join('\n');
    const totalCost = /Cost: (\$[0-9.]+) over the run/.exec(summary)?.[1];
    // Act
    await page.goto(pathToFileURL(reportFile).href);
    const cards = await page.$$eval('.summary div', (divs) =>
      divs.map((div) => div.textContent ?? ''),
    );
    // Assess
    expect(totalCost).toBeDefined();
    expect(cards.some((card) => card.includes(totalCost ?? 'missing'))).toBe(true);
    expect(readFileSync(reportFile, 'utf8')).toContain('<h1>Skyscale simulation: web-burst</h1>');
    await page.close();
  });
});
