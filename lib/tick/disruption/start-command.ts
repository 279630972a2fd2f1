import { NodeClaimConditionTypes, setCondition, type NodeClaim } from '../../apis/index.ts';
import { DisruptionAnnotations, type Command } from '../../disruption/index.ts';
import type { KubeEvent } from '../../kube/index.ts';
import {
  launchNodeClaim,
  newNodeClaim,
  recordNodeClaimDisrupted,
  type ProvisioningDeps,
} from '../../provisioning/index.ts';
import type { ClusterSnapshot } from '../../state/index.ts';
import { errorMessage } from '../../util/index.ts';
import { launchingEvent, terminatingEvent, waitingEvent } from './disruption-events.ts';
import { withDisruptedTaint } from './node-taint.ts';

export interface StartedCommand {
  readonly reason: string;
  readonly candidates: readonly string[];
  /** Names of the replacement NodeClaims created. */
  readonly replacements: readonly string[];
  /** Candidates deleted at once (no replacement to wait for). */
  readonly deleted: readonly string[];
  readonly failures: readonly { readonly name: string; readonly message: string }[];
  readonly events: readonly KubeEvent[];
}

/** Records the command on a candidate: the replacement count, then `DisruptionReason`, then the taint. */
async function markCandidate(
  deps: ProvisioningDeps,
  claim: NodeClaim,
  nodeName: string,
  command: Command,
): Promise<void> {
  const kube = deps.kube.kube;
  const name = claim.metadata.name ?? '';
  await kube.updateNodeClaim(name, (current) => ({
    ...current,
    metadata: {
      ...current.metadata,
      annotations: {
        ...current.metadata.annotations,
        [DisruptionAnnotations.replacementCount]: String(command.replacements.length),
      },
    },
  }));
  await kube.updateNodeClaimStatus(name, (current) => ({
    ...current,
    status: {
      ...current.status,
      conditions: setCondition(current.status?.conditions, {
        type: NodeClaimConditionTypes.disruptionReason,
        status: 'True',
        reason: command.reason,
        message: `Disrupted because of ${command.reason}`,
        lastTransitionTime: new Date(deps.clock.now()).toISOString(),
      }),
    },
  }));
  await kube.updateNode(nodeName, withDisruptedTaint);
}

/**
 * Starts a validated command, as Karpenter's orchestration does, leaving its state in the
 * cluster: each candidate is marked (replacement count, `DisruptionReason`, disrupted taint),
 * then each replacement is created, naming the candidates it replaces, and launched. Candidates
 * without replacements are deleted at once; the others are deleted by a later run once every
 * replacement initialized (see `orchestrationSteps`), which also rolls back a command this run
 * leaves half-done. `mayAct` is asked before every write.
 */
export async function startCommand(
  deps: ProvisioningDeps,
  snapshot: ClusterSnapshot,
  command: Command,
  mayAct: () => boolean,
): Promise<StartedCommand> {
  const kube = deps.kube.kube;
  const candidateNames = command.candidates.map(({ nodeClaim }) => nodeClaim.metadata.name ?? '');
  const started = {
    reason: command.reason,
    candidates: candidateNames,
    replacements: [] as string[],
    deleted: [] as string[],
    failures: [] as { name: string; message: string }[],
    events: [] as KubeEvent[],
  };
  const attempt = async (name: string, step: () => Promise<void>): Promise<boolean> => {
    if (!mayAct()) return false;
    try {
      await step();
      return true;
    } catch (error) {
      started.failures.push({ name, message: errorMessage(error) });
      return false;
    }
  };
  for (const { nodeClaim, name } of command.candidates) {
    const marked = await attempt(nodeClaim.metadata.name ?? '', () =>
      markCandidate(deps, nodeClaim, name, command),
    );
    // A command whose candidates are not all marked is rolled back by the next run.
    if (!marked) return started;
  }
  // Counted as Karpenter's orchestration counts a command it executes.
  for (const { nodeClaim } of command.candidates)
    recordNodeClaimDisrupted(deps.metrics, nodeClaim, command.reason);
  for (const planned of command.replacements) {
    const pool = snapshot.nodePools.find(
      ({ nodePool }) => nodePool.metadata.name === planned.nodePool,
    );
    if (!pool) continue;
    const template = newNodeClaim(pool.nodePool, planned);
    const replacement: NodeClaim = {
      ...template,
      metadata: {
        ...template.metadata,
        annotations: {
          ...template.metadata.annotations,
          [DisruptionAnnotations.replaces]: candidateNames.join(','),
        },
      },
    };
    await attempt(planned.nodePool, async () => {
      const created = await kube.createNodeClaim(replacement);
      started.replacements.push(created.metadata.name ?? '');
      const outcome = await launchNodeClaim(kube, deps.cloud, deps.clock, created, mayAct, {
        nodeClass: pool.nodeClass,
        instanceTypes: pool.instanceTypes,
        newlyCreated: true,
      });
      if (outcome.kind !== 'launched')
        throw new Error(`launching ${created.metadata.name ?? ''}: ${outcome.message}`);
    });
  }
  for (const { nodeClaim } of command.candidates) {
    const name = nodeClaim.metadata.name ?? '';
    if (command.replacements.length === 0) {
      if (await attempt(name, () => kube.deleteNodeClaim(name))) {
        started.deleted.push(name);
        started.events.push(terminatingEvent(nodeClaim, command.reason));
      }
    } else {
      started.events.push(
        launchingEvent(nodeClaim, command.reason, command.replacements.length),
        waitingEvent(nodeClaim),
      );
    }
  }
  return started;
}
