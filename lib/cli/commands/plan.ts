import type { CliIo, Command } from '../command.ts';
import {
  PlanInputError,
  parsePlanArguments,
  planJsonLines,
  renderPlanText,
  runPlan,
} from '../plan/index.ts';

export const planCommand: Command = {
  name: 'plan',
  summary:
    'simulate scheduling: the NodeClaims pending pods would get, and the pods that fit nowhere',
  usage: [
    'Usage: skyscale plan -f FILE [-f FILE...] [--instance-types FILE.json] [--region REGION]',
    '                     [--timeout DURATION] [-o json|text]',
    '',
    'FILE is multi-document YAML or JSON holding NodePools, EC2NodeClasses, Pods (pending unless',
    'spec.nodeName is set), Nodes, in-flight NodeClaims, DaemonSets, PodDisruptionBudgets, and',
    'Deployments, StatefulSets, ReplicaSets and Jobs (expanded into pods named <owner>-<index>).',
    '',
    'Options:',
    '  -f FILE                   manifests to read (repeatable)',
    '  --instance-types FILE     JSON array of instance types replacing the embedded catalog',
    '  --region REGION           region of the embedded catalog (default us-east-1)',
    '  --timeout DURATION        scheduling deadline, e.g. 10s (default and cap 60s)',
    '  -o json|text              output format (default text)',
    '  --max-pods N              refuse input asking for more pods (default 100000)',
    '',
    'Exits 0 even when pods are unschedulable, 1 when the input is invalid.',
  ].join('\n'),
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const options = parsePlanArguments(args);
    try {
      const { report, warnings } = await runPlan(options);
      for (const warning of warnings) io.err(warning);
      if (options.output === 'json') for (const line of planJsonLines(report)) io.out(line);
      else io.out(renderPlanText(report));
      return 0;
    } catch (error) {
      if (!(error instanceof PlanInputError)) throw error;
      io.err(error.message);
      return 1;
    }
  },
};
