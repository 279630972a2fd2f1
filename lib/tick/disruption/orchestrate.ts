import { Labels, NodeClaimConditionTypes, type NodeClaim } from '../../apis/index.ts';
import { DisruptionAnnotations, type OrchestrationStep } from '../../disruption/index.ts';
import type { KubeClient, KubeEvent } from '../../kube/index.ts';
import { isLaunched, launchNodeClaim, type ProvisioningDeps } from '../../provisioning/index.ts';
import type { ClusterSnapshot } from '../../state/index.ts';
import { errorMessage } from '../../util/index.ts';
import { terminatingEvent } from './disruption-events.ts';
import { withDisruptedTaint, withoutDisruptedTaint } from './node-taint.ts';

export interface OrchestrationReport {
  /** Candidates deleted now that their replacements initialized. */
  readonly deleted: string[];
  readonly rolledBack: { readonly name: string; readonly reason: string }[];
  readonly waiting: string[];
  readonly untainted: string[];
  readonly failures: { readonly name: string; readonly message: string }[];
  readonly events: KubeEvent[];
}

/** Releases a candidate: its DisruptionReason and replacement count are cleared. */
async function clearCommand(kube: KubeClient, name: string): Promise<void> {
  await kube.updateNodeClaimStatus(name, (current) => ({
    ...current,
    status: {
      ...current.status,
      conditions: (current.status?.conditions ?? []).filter(
        ({ type }) => type !== NodeClaimConditionTypes.disruptionReason,
      ),
    },
  }));
  await kube.updateNodeClaim(name, (current) => {
    const annotations = { ...current.metadata.annotations };
    if (!(DisruptionAnnotations.replacementCount in annotations)) return undefined;
    delete annotations[DisruptionAnnotations.replacementCount];
    return { ...current, metadata: { ...current.metadata, annotations } };
  });
}

/**
 * Launches replacements whose launch the run that created them did not record (it died or ran
 * out of time): no pod waits for them, so no provisioning pass would. The launch is idempotent,
 * so an instance already started for the claim is found again rather than launched twice.
 */
async function resumeLaunches(
  deps: ProvisioningDeps,
  snapshot: ClusterSnapshot,
  replacements: readonly NodeClaim[],
  mayAct: () => boolean,
): Promise<void> {
  for (const replacement of replacements) {
    if (isLaunched(replacement) || replacement.metadata.deletionTimestamp) continue;
    const pool = snapshot.nodePools.find(
      ({ nodePool }) => nodePool.metadata.name === replacement.metadata.labels?.[Labels.nodePool],
    );
    const outcome = await launchNodeClaim(
      deps.kube.kube,
      deps.cloud,
      deps.clock,
      replacement,
      mayAct,
      pool && {
        nodeClass: pool.nodeClass,
        instanceTypes: pool.instanceTypes,
        newlyCreated: false,
      },
    );
    if (outcome.kind !== 'launched')
      throw new Error(
        `launching replacement ${replacement.metadata.name ?? ''}: ${outcome.message}`,
      );
  }
}

function disruptionReasonOf(claim: NodeClaim): string {
  return (
    claim.status?.conditions?.find(({ type }) => type === NodeClaimConditionTypes.disruptionReason)
      ?.reason ?? 'Disrupted'
  );
}

/**
 * Carries out the orchestration steps: deletes candidates whose replacements initialized, rolls
 * back failed commands (uninitialized replacements deleted, then the node untainted, then the
 * claim released), keeps waiting candidates tainted and removes stray disrupted taints. Each
 * write is idempotent, so a run killed half-way is completed by the next; `mayAct` is asked
 * before each step.
 */
export async function orchestrate(
  deps: ProvisioningDeps,
  snapshot: ClusterSnapshot,
  steps: readonly OrchestrationStep[],
  mayAct: () => boolean,
): Promise<OrchestrationReport> {
  const kube = deps.kube.kube;
  const nodeOfClaim = new Map(
    snapshot.nodes.flatMap(({ node, nodeClaim }) =>
      node && nodeClaim ? [[nodeClaim.metadata.name ?? '', node.metadata.name] as const] : [],
    ),
  );
  const report: OrchestrationReport = {
    deleted: [],
    rolledBack: [],
    waiting: [],
    untainted: [],
    failures: [],
    events: [],
  };
  for (const step of steps) {
    if (!mayAct()) break;
    const name =
      step.kind === 'untaint' ? step.node.metadata.name : (step.candidate.metadata.name ?? '');
    try {
      switch (step.kind) {
        case 'delete': {
          await kube.deleteNodeClaim(name);
          report.deleted.push(name);
          report.events.push(terminatingEvent(step.candidate, disruptionReasonOf(step.candidate)));
          deps.logger.info('Disrupting NodeClaim', {
            nodeClaim: name,
            reason: disruptionReasonOf(step.candidate),
          });
          break;
        }
        case 'rollback': {
          for (const replacement of step.replacements)
            await kube.deleteNodeClaim(replacement.metadata.name ?? '');
          const node = nodeOfClaim.get(name);
          if (node) await kube.updateNode(node, withoutDisruptedTaint);
          await clearCommand(kube, name);
          report.rolledBack.push({ name, reason: step.reason });
          deps.logger.warn('Rolled back a disruption command', {
            nodeClaim: name,
            reason: step.reason,
          });
          break;
        }
        case 'wait': {
          const node = nodeOfClaim.get(name);
          if (node) await kube.updateNode(node, withDisruptedTaint);
          await resumeLaunches(deps, snapshot, step.replacements, mayAct);
          report.waiting.push(name);
          break;
        }
        case 'untaint': {
          await kube.updateNode(name, withoutDisruptedTaint);
          report.untainted.push(name);
          break;
        }
      }
    } catch (error) {
      report.failures.push({ name, message: errorMessage(error) });
    }
  }
  return report;
}
