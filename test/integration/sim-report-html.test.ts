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

  it('draws the nodes and pending pods, cost and NodePool charts without fetching anything', async () => {
    // Prepare
    const page = await browser.newPage();
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
          bars: [...svg.querySelectorAll('rect.bar')].map(
            (bar) => bar.getBoundingClientRect().width,
          ),
        };
      }),
    );
    // Assess
    expect(requested).toEqual([pathToFileURL(reportFile).href]);
    expect(charts.map(({ id }) => id)).toEqual(['nodes-and-pending-pods', 'cost', 'nodepools']);
    for (const chart of charts) expect(chart.width * chart.height).toBeGreaterThan(0);
    const [nodes, cost, nodePools] = charts;
    expect(nodes?.lines.map(({ series }) => series)).toEqual([
      'nodes (Ready)',
      'nodes launching',
      'pending pods',
    ]);
    expect(nodes?.lines.length).toBeGreaterThan(0);
    expect(nodes?.lines.every(({ length }) => length > 100)).toBe(true);
    expect(cost?.lines[0]?.length).toBeGreaterThan(100);
    expect(nodePools?.bars).toHaveLength(1);
    expect(nodePools?.bars[0]).toBeGreaterThan(0);
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
