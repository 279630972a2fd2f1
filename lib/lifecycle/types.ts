import type { EC2NodeClass, Node, NodeClaim, NodePool } from '../apis/index.ts';
import type { CloudProvider } from '../cloudprovider/cloud-provider.ts';
import type { KubeClient } from '../kube/index.ts';
import type { Clock } from '../util/clock.ts';
import type { RunLogger } from '../provisioning/index.ts';
import type { MetricsRecorder } from '../metrics/index.ts';

/** What the per-object runs (lifecycle, termination, garbage collection) work with. */
export interface LifecycleDeps {
  readonly kube: KubeClient;
  readonly cloud: CloudProvider;
  readonly clock: Clock;
  readonly logger: RunLogger;
  /**
   * Where the NodePools' gauges and the NodeClaims terminated are recorded. Default: nowhere.
   */
  readonly metrics?: MetricsRecorder;
}

/** An object a run could not move along, and why; the next pass tries again. */
export interface ObjectFailure {
  readonly name: string;
  readonly message: string;
}

/** Karpenter's registration TTL: a launched NodeClaim whose node has not joined by then is replaced. */
export const DEFAULT_REGISTRATION_TTL_MS = 15 * 60_000;

/** The objects one pass reads once and every run of the pass shares. */
export interface LifecycleView {
  readonly nodes: readonly Node[];
  readonly nodeClaims: readonly NodeClaim[];
  readonly nodePools: readonly NodePool[];
  readonly nodeClasses: readonly EC2NodeClass[];
}

export async function loadLifecycleView(kube: KubeClient): Promise<LifecycleView> {
  const [nodes, nodeClaims, nodePools, nodeClasses] = await Promise.all([
    kube.listNodes(),
    kube.listNodeClaims(),
    kube.listNodePools(),
    kube.listEC2NodeClasses(),
  ]);
  return {
    nodes: nodes.items,
    nodeClaims: nodeClaims.items,
    nodePools: nodePools.items,
    nodeClasses: nodeClasses.items,
  };
}

/** The Node each NodeClaim launched, matched on `spec.providerID` as Karpenter matches them. */
export function nodeOfClaim(nodes: readonly Node[]): (claim: NodeClaim) => Node | undefined {
  const byProviderID = new Map(
    nodes.flatMap((node) => (node.spec?.providerID ? [[node.spec.providerID, node] as const] : [])),
  );
  return (claim) =>
    claim.status?.providerID ? byProviderID.get(claim.status.providerID) : undefined;
}
