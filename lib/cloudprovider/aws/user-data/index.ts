import type { AmiFamily } from '../../ec2-model/capacity.ts';
import { CloudProviderError } from '../../errors.ts';
import { al2023UserData } from './al2023.ts';
import type { BootstrapOptions } from './bootstrap-options.ts';
import { bottlerocketUserData } from './bottlerocket.ts';

export type { BootstrapOptions, ClusterConnection, NodeTaint } from './bootstrap-options.ts';

/** The user data for `family`; `Custom` passes the node class's own user data through untouched. */
export function userDataFor(family: AmiFamily, options: BootstrapOptions): string {
  switch (family) {
    case 'AL2023':
      return al2023UserData(options);
    case 'Bottlerocket':
      return bottlerocketUserData(options);
    case 'Custom':
      return options.customUserData ?? '';
    default:
      throw new CloudProviderError(
        `amiFamily ${family} is not supported; use AL2023, Bottlerocket or Custom`,
      );
  }
}
