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
}

export const DEFAULT_PLAN_REGION = 'us-east-1';

function optionValues(args: readonly string[]) {
  return parseCommandOptions({
    args: [...args],
    options: {
      filename: { type: 'string', short: 'f', multiple: true },
      'instance-types': { type: 'string' },
      region: { type: 'string', default: DEFAULT_PLAN_REGION },
      timeout: { type: 'string' },
      output: { type: 'string', short: 'o', default: 'text' },
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
  return {
    files: values.filename,
    ...(values['instance-types'] === undefined
      ? {}
      : { instanceTypesFile: values['instance-types'] }),
    region: values.region,
    timeoutMs,
    output: values.output,
  };
}
