import type { Command } from '../command.ts';

/** Every `skyscale` sub-command, in the order `--help` lists them. Add one line per command file. */
export const commands: readonly Command[] = [];
