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

  it.each(widths)('fits %s without clipping a label', async (_name, width) => {
    // Prepare
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    // Act
    await page.goto(pathToFileURL(reportFile).href);
    const pageWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
    const clipped = await page.$$eval('svg[data-chart]', (svgs) =>
      svgs.flatMap((svg) => {
        const frame = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('text')]
          .filter((text) => {
            const box = text.getBoundingClientRect();
            return (
              box.left < frame.left - 0.5 ||
              box.right > frame.right + 0.5 ||
              box.top < frame.top - 0.5 ||
              box.bottom > frame.bottom + 0.5
            );
          })
          .map((text) => `${svg.getAttribute('data-chart')}: ${text.textContent}`);
      }),
    );
    // Assess
    expect(clipped).toEqual([]);
    expect(pageWidth).toBeLessThanOrEqual(width);
    await page.close();
  });

  it.each(widths)('breaks no table header inside a word in %s', async (_name, width) => {
    // Prepare
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    // Act
    await page.goto(pathToFileURL(reportFile).href);
    const broken = await page.$$eval('th', (headers) =>
      headers.flatMap((header) => {
        const text = header.firstChild;
        if (text?.nodeType !== 3) return [];
        const content: string = text.textContent ?? '';
        let start = 0;
        return content.split(' ').filter((word) => {
          const range = header.ownerDocument.createRange();
          range.setStart(text, start);
          range.setEnd(text, start + word.length);
          start += word.length + 1;
          // A word laid out on more than one line was broken inside.
          const rects = range.getClientRects() as unknown as ArrayLike<{ top: number }>;
          return new Set(Array.from(rects, ({ top }) => Math.round(top))).size > 1;
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
