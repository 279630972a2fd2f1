import { renderCrdFiles } from '../../apis/crd/index.ts';
import { type CliIo, type Command, UsageError } from '../command.ts';

/** The three CRDs as multi-document YAML, as `skyscale crds` prints them. */
export function crdsYaml(): string {
  return renderCrdFiles()
    .map((file) => file.text)
    .join('---\n');
}

export const crdsCommand: Command = {
  name: 'crds',
  summary: 'print the NodePool, NodeClaim and EC2NodeClass CRDs (pipe to kubectl apply -f -)',
  usage:
    'Usage: skyscale crds\n\nPrints the three CustomResourceDefinitions as multi-document YAML.',
  run(args: readonly string[], io: CliIo): number {
    if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}"`);
    io.out(crdsYaml());
    return 0;
  },
};
