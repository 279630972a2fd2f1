/** One `skyscale` sub-command. Commands write through `io` so tests can capture output. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Redraws a status line on a terminal's stderr (no newline added); absent when stderr is not a terminal. */
  readonly progress?: (text: string) => void;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Returns the process exit code, or a promise of it when the command waits on I/O. */
  run(args: readonly string[], io: CliIo): number | Promise<number>;
}

/** A problem with the command line itself; reported with the command's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
