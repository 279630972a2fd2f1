import type { Command } from '../command.ts';

/**
 * Every `skyscale` sub-command, in the order `--help` lists them, each loaded only when it runs
 * (or `--help` lists them): one command's start-up does not pay for the others' modules. Add one
 * line per command file.
 */
const loaders = new Map<string, () => Promise<Command>>([
  ['validate', async () => (await import('./validate.ts')).validateCommand],
  ['crds', async () => (await import('./crds.ts')).crdsCommand],
  ['install', async () => (await import('./install.ts')).installCommand],
  ['plan', async () => (await import('./plan.ts')).planCommand],
  ['simulate', async () => (await import('./simulate.ts')).simulateCommand],
  ['status', async () => (await import('./status.ts')).statusCommand],
]);

/** The command called `name`, or undefined when there is none. */
export async function loadCommand(name: string): Promise<Command | undefined> {
  return loaders.get(name)?.();
}

export async function loadCommands(): Promise<Command[]> {
  return Promise.all([...loaders.values()].map((load) => load()));
}
