import { writeFile } from 'node:fs/promises';
import {
  ProgressBar,
  ScenarioError,
  buildReport,
  loadScenario,
  renderReportHtml,
  renderReportText,
  simulate,
  skyscaleRuns,
} from '../../sim/index.ts';
import { type CliIo, type Command, UsageError } from '../command.ts';
import { parseCommandOptions } from '../command-options.ts';

interface SimulateArguments {
  readonly scenario: string;
  readonly report: string | undefined;
  readonly output: 'text' | 'json';
}

function parseSimulateArguments(args: readonly string[]): SimulateArguments {
  const { positionals, values } = parseCommandOptions({
    args: [...args],
    allowPositionals: true,
    options: {
      report: { type: 'string' },
      output: { type: 'string', short: 'o', default: 'text' },
    },
    strict: true,
  });
  if (positionals.length !== 1 || positionals[0] === undefined)
    throw new UsageError('exactly one SCENARIO file is required');
  if (values.output !== 'text' && values.output !== 'json')
    throw new UsageError(`-o must be "text" or "json", not "${values.output}"`);
  return { scenario: positionals[0], report: values.report, output: values.output };
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary:
    'run a scenario against a simulated cluster and cloud, and report nodes, cost and pod latency',
  usage: [
    'Usage: skyscale simulate SCENARIO.yaml [--report FILE.html] [-o text|json]',
    '',
    'Runs the scenario in virtual time: the in-memory cluster and the simulated EC2 (embedded',
    'catalog prices) are driven by the same provisioning run the Lambdas invoke. Prints nodes',
    'launched and terminated, cost, pod pending time, unschedulable pods and the decisions log.',
    'The scenario format is described in the README; examples/scenarios/ has ready-made ones.',
    '',
    'Options:',
    '  --report FILE.html   also write a self-contained HTML report with charts',
    '  -o text|json         output format (default text)',
    '',
    'Exits 1 when the scenario is invalid, else 0.',
  ].join('\n'),
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const options = parseSimulateArguments(args);
    let scenario;
    try {
      scenario = await loadScenario(options.scenario);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      for (const problem of error.problems) io.err(problem);
      return 1;
    }
    const progress = io.progress && new ProgressBar(scenario.name, { write: io.progress });
    const result = await simulate({
      scenario,
      runs: skyscaleRuns,
      ...(progress ? { onProgress: (done: number) => progress.update(done) } : {}),
    });
    progress?.finish();
    const report = buildReport(result);
    // The report comes first: a simulation's result is not lost to an unwritable --report path.
    io.out(options.output === 'json' ? JSON.stringify(report, null, 2) : renderReportText(report));
    if (options.report === undefined) return 0;
    try {
      await writeFile(options.report, renderReportHtml(report));
    } catch (error) {
      io.err(`skyscale simulate: cannot write the HTML report: ${(error as Error).message}`);
      return 1;
    }
    io.err(`HTML report written to ${options.report}`);
    return 0;
  },
};
