/** What a Skyscale run gets from its trigger, as the Lambda handlers pass it. */
export interface RunContext {
  /** The invocation's request ID. */
  readonly runId: string;
  /** Epoch milliseconds by which the run must have finished (the Lambda's remaining time). */
  readonly deadline: number;
}

export type SimulatedRun = (context: RunContext) => Promise<void>;

/** An EventBridge event as the interruption queue delivers it (EC2 spot interruption warning). */
export interface CloudEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: 'aws.ec2';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Readonly<Record<string, string>>;
}

/**
 * The run functions the simulator invokes, one per trigger, the same ones the Lambdas invoke.
 * A run that exists later is one more line where these are composed (lib/sim/skyscale-runs.ts).
 */
export interface SimulationRuns {
  /** The pod-pending webhook: invoked once per batch window (1 s idle, 10 s max). */
  readonly provisioning: SimulatedRun;
  /** EventBridge → SQS: spot interruption warnings and instance state changes. */
  readonly interruption?: (events: readonly CloudEvent[], context: RunContext) => Promise<void>;
  /** The one-minute schedule, in order. */
  readonly tick: readonly SimulatedRun[];
  /**
   * What the tick's invocation keeps doing between minutes, every `intervalMs`; `run` answers
   * whether anything is still in motion. The simulator invokes it only while something is, which
   * changes no outcome and saves simulating idle passes.
   */
  readonly followUp?: {
    readonly intervalMs: number;
    readonly run: (context: RunContext) => Promise<boolean>;
  };
}
