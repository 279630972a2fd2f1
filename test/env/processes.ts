import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, openSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const LOG_TAIL_LINES = 40;
const GRACEFUL_STOP_MS = 5_000;
const POLL_INTERVAL_MS = 100;

export interface ManagedProcess {
  readonly name: string;
  readonly logPath: string;
  readonly child: ChildProcess;
  spawnError?: Error;
}

export function logTail(logPath: string, lines = LOG_TAIL_LINES): string {
  try {
    return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** The environment's child processes, each logging stdout and stderr to `<logDir>/<name>.log`. */
export class ChildProcesses {
  private readonly processes: ManagedProcess[] = [];

  constructor(private readonly logDir: string) {}

  start(name: string, command: string, args: readonly string[]): ManagedProcess {
    const logPath = join(this.logDir, `${name}.log`);
    const logFd = openSync(logPath, 'a');
    try {
      const child = spawn(command, args, { stdio: ['ignore', logFd, logFd] });
      const managed: ManagedProcess = { name, logPath, child };
      // Without a listener a failed spawn (ENOENT, EACCES) would crash the vitest process.
      child.on('error', (error) => {
        managed.spawnError = error;
        appendFileSync(logPath, `failed to start ${command}: ${error.message}\n`);
      });
      this.processes.push(managed);
      return managed;
    } finally {
      closeSync(logFd);
    }
  }

  /** Polls `isReady` until it resolves true; fails early, with the log tail, if the process exits. */
  async waitUntilReady(
    managed: ManagedProcess,
    isReady: () => Promise<boolean>,
    timeoutMs: number,
  ): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (managed.spawnError) throw this.startupError(managed, 'could not be started');
      if (hasExited(managed.child)) {
        const status = managed.child.exitCode ?? managed.child.signalCode;
        throw this.startupError(managed, `exited (${status})`);
      }
      if (await isReady().catch(() => false)) return;
      await sleep(POLL_INTERVAL_MS);
    }
    throw this.startupError(managed, `was not ready after ${timeoutMs} ms`);
  }

  /** SIGTERM, then SIGKILL whatever is still running after a grace period. */
  async stopAll(): Promise<void> {
    const running = this.processes.filter(({ child }) => !hasExited(child));
    await Promise.all(
      running.map(async ({ child }) => {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const stopped = await Promise.race([
          exited.then(() => true),
          sleep(GRACEFUL_STOP_MS, false),
        ]);
        if (!stopped) child.kill('SIGKILL');
      }),
    );
  }

  /** Synchronous last resort for signal and exit handlers, which cannot wait. */
  killAllNow(): void {
    for (const { child } of this.processes) {
      if (!hasExited(child)) child.kill('SIGKILL');
    }
  }

  private startupError(managed: ManagedProcess, what: string): Error {
    return new Error(
      `${managed.name} ${what}; last lines of ${managed.logPath}:\n${logTail(managed.logPath)}`,
    );
  }
}
