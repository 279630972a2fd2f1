import { stringify } from 'yaml';
import { crdsYaml } from '../commands/crds.ts';
import type { InstallArguments } from './install-arguments.ts';
import { rbacObjects } from './rbac.ts';
import { webhookConfiguration } from './webhook-configuration.ts';

/**
 * The Kubernetes side of an installation as multi-document YAML: the CRDs, the RBAC for the
 * provisioner's group, then the webhook (last, so nothing calls Skyscale before it may act).
 */
export function renderInstall(args: InstallArguments): string {
  const objects = [...rbacObjects(args), webhookConfiguration(args.webhookUrl, args.secret)];
  return [crdsYaml(), ...objects.map((object) => stringify(object, { lineWidth: 0 }))].join(
    '---\n',
  );
}
