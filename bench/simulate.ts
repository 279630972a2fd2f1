/**
 * The simulator's performance check: `npm run bench:simulate`. Runs each shipped
 * scenario as `skyscale simulate` does (load, simulate, report) and prints wall and CPU time, the
 * simulated span, pods and nodes, against the targets: web-burst within 5 s and large-10k within
 * 60 s of wall time. The machine is shared, so a run whose wall time is over target but whose CPU
 * time is within it is reported as slowed by the load, not failed; a CPU time over target fails.
 * Each row also gives the run's cost as a multiple of the report's lower bound, over the run and
 * at its end.
 * The time to import the code is not counted; `time npm start` shows it. Each scenario must also
 * pass the shipped-scenario checks (every pod scheduled, cost within bounds, no idle node): the
 * unit tests leave the largest to this benchmark.
 */
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  buildReport,
  formatRatio,
  loadScenario,
  renderReportHtml,
  renderReportText,
  simulate,
  skyscaleRuns,
} from '../lib/sim/index.ts';
import { scenarioProblems } from '../test/fixtures/scenario-checks.ts';

const SCENARIOS = fileURLToPath(new URL('../examples/scenarios/', import.meta.url));
const WALL_TARGET_MS: Readonly<Record<string, number>> = {
  'web-burst.yaml': 5_000,
  'large-10k.yaml': 60_000,
};

let failed = false;
console.log(
  '| scenario | simulated | pods | nodes | cost ÷ lower bound (run, end) | wall | CPU | target |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---|');
for (const file of readdirSync(SCENARIOS)
  .filter((name) => name.endsWith('.yaml'))
  .sort()) {
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const result = await simulate({
    scenario: await loadScenario(`${SCENARIOS}${file}`),
    runs: skyscaleRuns,
  });
  const report = buildReport(result);
  renderReportText(report);
  renderReportHtml(report);
  const wallMs = performance.now() - wallStart;
  const { user, system } = process.cpuUsage(cpuStart);
  const target = WALL_TARGET_MS[file];
  const cpuMs = (user + system) / 1000;
  const problems = scenarioProblems(result, report);
  const verdict = problems.length
    ? `FAILED: ${problems.join('; ')}`
    : target === undefined
      ? ''
      : wallMs <= target
        ? `≤ ${target / 1000} s ok`
        : cpuMs <= target
          ? `≤ ${target / 1000} s: wall over, CPU within (load ${loadavg()[0]?.toFixed(1)})`
          : `≤ ${target / 1000} s EXCEEDED`;
  failed ||= problems.length > 0 || (target !== undefined && cpuMs > target);
  const minutes = (report.durationSeconds / 60).toFixed(0);
  console.log(
    `| ${file} | ${minutes} min | ${report.pods.created} | ${report.nodes.launched} | ${formatRatio(report.cost.ratioToLowerBound)}, ${formatRatio(report.cost.end.ratioToLowerBound)} | ${(wallMs / 1000).toFixed(2)} s | ${(cpuMs / 1000).toFixed(2)} s | ${verdict} |`,
  );
}
process.exitCode = failed ? 1 : 0;
