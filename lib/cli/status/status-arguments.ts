import { DurationSchema, durationMilliseconds } from '../../apis/duration.ts';
import { UsageError } from '../command.ts';
import { parseCommandOptions } from '../command-options.ts';
import { kubeConfigPathFor } from '../cluster-connection.ts';

export interface StatusArguments {
  readonly kubeConfigPath: string;
  readonly output: 'json' | 'text';
  /** Redraw every `intervalMs` until interrupted. */
  readonly watch: boolean;
  readonly intervalMs: number;
  /** Only these NodePools and their nodes and claims; every one when empty. */
  readonly nodePools: readonly string[];
  /** The embedded catalog to price nodes from; by default the region the nodes are labelled with. */
  readonly region: string | undefined;
}

export const DEFAULT_STATUS_INTERVAL = '5s';
const MIN_INTERVAL_MS = 1000;

export function parseStatusArguments(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): StatusArguments {
  const { values } = parseCommandOptions({
    args: [...args],
    options: {
      kubeconfig: { type: 'string' },
      output: { type: 'string', short: 'o', default: 'text' },
      watch: { type: 'boolean', short: 'w', default: false },
      interval: { type: 'string', default: DEFAULT_STATUS_INTERVAL },
      nodepool: { type: 'string', multiple: true },
      region: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.output !== 'json' && values.output !== 'text')
    throw new UsageError(`-o must be json or text, not "${values.output}"`);
  const interval = DurationSchema.safeParse(values.interval);
  if (!interval.success) throw new UsageError(`--interval ${interval.error.issues[0]?.message}`);
  const intervalMs = durationMilliseconds(interval.data);
  if (intervalMs < MIN_INTERVAL_MS)
    throw new UsageError(`--interval must be at least 1s, not "${values.interval}"`);
  return {
    kubeConfigPath: kubeConfigPathFor(values.kubeconfig, env),
    output: values.output,
    watch: values.watch,
    intervalMs,
    nodePools: values.nodepool ?? [],
    region: values.region,
  };
}
