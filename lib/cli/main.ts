import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { type CliIo, type Command, UsageError } from './command.ts';
import { commands } from './commands/index.ts';
import packageJson from '../../package.json' with { type: 'json' };

const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  ...(process.stderr.isTTY ? { progress: (text: string) => process.stderr.write(text) } : {}),
  drained: async () => {
    // A pipe to a slower reader would otherwise queue the whole output in memory.
    if (process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
  },
};

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'skyscale: a serverless, Karpenter-compatible node autoscaler for EKS',
    '',
    'Usage: skyscale <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    "  --help     show this help, or a command's help after the command",
    '  --version  print the version',
  ].join('\n');
}

function findCommand(name: string): Command | undefined {
  return commands.find((c) => c.name === name);
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.out(help());
    return first === undefined ? 1 : 0;
  }
  if (first === '--version' || first === '-v') {
    io.out(packageJson.version);
    return 0;
  }
  const command = findCommand(first);
  if (!command) {
    io.err(`skyscale: unknown command "${first}"\n\n${help()}`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`skyscale ${command.name}: ${error.message}\n\n${command.usage}`);
      return 1;
    }
    throw error;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
