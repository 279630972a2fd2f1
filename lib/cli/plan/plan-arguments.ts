import { DurationSchema, durationMilliseconds } from '../../apis/duration.ts';
import { MAX_SCHEDULING_DEADLINE_MS } from '../../scheduling/index.ts';
import { UsageError } from '../command.ts';
import { parseCommandOptions } from '../command-options.ts';

export type PlanOutputFormat = 'json' | 'text';

export interface PlanArguments {
  readonly files: readonly string[];
  /** Replaces the embedded catalog when given. */
  readonly instanceTypesFile?: string;
  /** Region of the embedded catalog. */
  readonly region: string;
  readonly timeoutMs: number;
  readonly output: PlanOutputFormat;
  /** The most pods (workload replicas and pending pods) the input may hold. */
  readonly maxPods: number;
}

export const DEFAULT_PLAN_REGION = 'us-east-1';
/** Far beyond one cluster's burst, well within what the scheduler plans in memory. */
export const DEFAULT_MAX_PLAN_PODS = 100_000;

function optionValues(args: readonly string[]) {
  return parseCommandOptions({
    args: [...args],
    options: {
      filename: { type: 'string', short: 'f', multiple: true },
      'instance-types': { type: 'string' },
      region: { type: 'string', default: DEFAULT_PLAN_REGION },
      timeout: { type: 'string' },
      output: { type: 'string', short: 'o', default: 'text' },
      'max-pods': { type: 'string', default: String(DEFAULT_MAX_PLAN_PODS) },
    },
    strict: true,
  }).values;
}

export function parsePlanArguments(args: readonly string[]): PlanArguments {
  const values = optionValues(args);
  if (!values.filename?.length) throw new UsageError('at least one -f FILE is required');
  if (values.output !== 'json' && values.output !== 'text') {
    throw new UsageError(`-o must be json or text, not "${values.output}"`);
  }
  let timeoutMs = MAX_SCHEDULING_DEADLINE_MS;
  if (values.timeout !== undefined) {
    const timeout = DurationSchema.safeParse(values.timeout);
    if (!timeout.success) throw new UsageError(`--timeout ${timeout.error.issues[0]?.message}`);
    timeoutMs = durationMilliseconds(timeout.data);
  }
  const maxPods = Number(values['max-pods']);
  if (!/^\d+$/.test(values['max-pods']) || maxPods < 1 || !Number.isSafeInteger(maxPods)) {
    throw new UsageError(`--max-pods must be a positive integer, not "${values['max-pods']}"`);
  }
  return {
    files: values.filename,
    maxPods,
    ...(values['instance-types'] === undefined
      ? {}
      : { instanceTypesFile: values['instance-types'] }),
    region: values.region,
    timeoutMs,
    output: values.output,
  };
}
