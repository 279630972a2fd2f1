import { clusterContract } from './cluster-contract.ts';
import type { HarnessFactory } from './harness.ts';
import { leaseContract } from './lease-contract.ts';
import { nodeClaimContract } from './node-claim-contract.ts';
import { nodeLifecycleContract } from './node-lifecycle-contract.ts';
import { storageContract } from './storage-contract.ts';

export type { ContractHarness, HarnessFactory } from './harness.ts';

/**
 * The KubeClient contract: the same tests run against the in-memory cluster (unit project) and
 * against a real kube-apiserver (integration project), so the two cannot drift apart.
 */
export function kubeClientContract(setup: HarnessFactory): void {
  nodeClaimContract(setup);
  clusterContract(setup);
  leaseContract(setup);
  nodeLifecycleContract(setup);
  storageContract(setup);
}
