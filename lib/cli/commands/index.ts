import type { Command } from '../command.ts';
import { crdsCommand } from './crds.ts';
import { installCommand } from './install.ts';
import { planCommand } from './plan.ts';
import { simulateCommand } from './simulate.ts';
import { statusCommand } from './status.ts';
import { validateCommand } from './validate.ts';

/** Every `skyscale` sub-command, in the order `--help` lists them. Add one line per command file. */
export const commands: readonly Command[] = [
  validateCommand,
  crdsCommand,
  installCommand,
  planCommand,
  simulateCommand,
  statusCommand,
];
