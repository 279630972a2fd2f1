import type { CliIo, Command } from '../command.ts';
import { clusterFailure, connectToCluster } from '../cluster-connection.ts';
import { parseStatusArguments, runStatus } from '../status/index.ts';

export const statusCommand: Command = {
  name: 'status',
  summary:
    'show NodePools, nodes with their use and price, NodeClaims in transition, cost per hour',
  usage: [
    'Usage: skyscale status [--kubeconfig FILE] [--nodepool NAME...] [-w [--interval 5s]] [-o json|text]',
    '',
    'Reads the cluster of the kubeconfig and shows each NodePool with its usage against its limits',
    'and its Ready and NodeRegistrationHealthy conditions; each node with its instance type,',
    'capacity type, zone, age, CPU and memory requested against allocatable, pods and hourly',
    'price; the NodeClaims launching, registering, initializing, drifted or being disrupted, and',
    'why; and the cluster cost per hour. Prices come from the embedded catalog (spot prices are',
    'estimates).',
    '',
    'Options:',
    '  --kubeconfig FILE   default: the first file in $KUBECONFIG, else ~/.kube/config',
    '  --nodepool NAME     only this NodePool and its nodes and claims (repeatable)',
    "  --region REGION     the catalog to price from (default: the nodes' region label)",
    '  -w, --watch         redraw every --interval until interrupted',
    '  --interval DURATION between redraws (default 5s, at least 1s)',
    '  -o json|text        output format (default text)',
  ].join('\n'),
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const options = parseStatusArguments(args);
    const interrupted = new AbortController();
    const stop = () => interrupted.abort();
    process.once('SIGINT', stop);
    try {
      const { kube } = connectToCluster(options.kubeConfigPath, io);
      await runStatus(options, kube, io, interrupted.signal);
      return 0;
    } catch (error) {
      const failure = clusterFailure(error);
      if (failure === undefined) throw error;
      io.err(`skyscale status: cannot read the cluster: ${failure}`);
      return 1;
    } finally {
      process.off('SIGINT', stop);
    }
  },
};
