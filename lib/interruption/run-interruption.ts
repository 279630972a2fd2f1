import { Labels, type NodeClaim } from '../apis/index.ts';
import type { CloudProvider, OfferingKey } from '../cloudprovider/index.ts';
import { UNAVAILABLE_OFFERING_TTL_MS } from '../cloudprovider/ec2-model/unavailable-offerings.ts';
import type { KubeClients, KubeEvent } from '../kube/index.ts';
import {
  loadLifecycleView,
  runTermination,
  type LifecycleDeps,
  type LifecycleView,
  type TerminationResult,
} from '../lifecycle/index.ts';
import { nodeOfClaim } from '../lifecycle/types.ts';
import {
  KarpenterMetrics,
  labelValue,
  MetricDimension,
  noMetrics,
  type MetricsRecorder,
} from '../metrics/index.ts';
import type { RunLogger } from '../provisioning/index.ts';
import { shareUnavailableOfferings } from '../state/index.ts';
import type { Clock } from '../util/clock.ts';
import { errorMessage, mapWithConcurrency } from '../util/index.ts';
import {
  InterruptionResponses,
  TerminatingOnInterruption,
  type InterruptionNotice,
} from './actions.ts';
import {
  afterDeletions,
  claimsByInstanceId,
  noticeEvents,
  spotOfferingOf,
} from './involved-objects.ts';
import type { InterruptionMessage } from './messages.ts';

export interface InterruptionDeps {
  /** The bulk KubeClient, and the ConfigMap of unavailable offerings. */
  readonly kube: KubeClients;
  readonly cloud: CloudProvider;
  readonly clock: Clock;
  readonly logger: RunLogger;
  /** Asks for a provisioning pass at once, so replacements launch while the old nodes drain. */
  readonly requestProvisioning: (reason: string) => Promise<void>;
  /** Where the run records its metrics. Default: nowhere. */
  readonly metrics?: MetricsRecorder;
}

/** One parsed message of the batch, under its SQS message ID. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly message: InterruptionMessage;
}

export type MessageOutcome =
  | { readonly status: 'acted'; readonly nodeClaims: readonly string[] }
  /** Nothing to do: the event asks for nothing, or names no instance of this cluster. */
  | { readonly status: 'ignored'; readonly reason: string }
  /** Retry the message: acting on it failed part-way (every step is safe to repeat). */
  | { readonly status: 'failed'; readonly error: string };

export interface InterruptionResult {
  /** By SQS message ID. */
  readonly outcomes: ReadonlyMap<string, MessageOutcome>;
  readonly nodeClaimsDeleted: readonly string[];
  readonly offeringsMarkedUnavailable: readonly OfferingKey[];
  /** The termination pass started at once; undefined when the batch deleted no claim. */
  readonly termination: TerminationResult | undefined;
}

/** Messages acted on at once; each makes a handful of requests. */
const MESSAGE_CONCURRENCY = 10;

class InterruptionBatch {
  readonly outcomes = new Map<string, MessageOutcome>();
  readonly deleted = new Set<string>();
  readonly marked: OfferingKey[] = [];
  /** Messages whose offerings must reach the cluster, and whose claims need replacements. */
  readonly marking = new Set<string>();
  readonly replacing = new Map<string, string[]>();

  private readonly claimOf: (instanceId: string) => NodeClaim | undefined;
  private readonly nodeOf: ReturnType<typeof nodeOfClaim>;

  constructor(
    private readonly deps: InterruptionDeps,
    view: LifecycleView,
  ) {
    const byInstance = claimsByInstanceId(view.nodeClaims);
    this.claimOf = (instanceId) => byInstance.get(instanceId);
    this.nodeOf = nodeOfClaim(view.nodes);
  }

  async handle({ messageId, message }: ReceivedMessage): Promise<void> {
    const response = InterruptionResponses[message.kind];
    if (!response.notice) {
      this.outcomes.set(messageId, {
        status: 'ignored',
        reason: `${message.kind} asks for nothing`,
      });
      return;
    }
    const claims = message.instanceIDs.flatMap((id) => this.claimOf(id) ?? []);
    if (claims.length === 0) {
      this.outcomes.set(messageId, {
        status: 'ignored',
        reason: `no NodeClaim of this cluster runs ${message.instanceIDs.join(', ') || 'any instance named'}`,
      });
      return;
    }
    try {
      for (const claim of claims) await this.act(messageId, message, claim, response.notice);
      const nodeClaims = claims.map(({ metadata }) => metadata.name ?? '');
      this.outcomes.set(messageId, { status: 'acted', nodeClaims });
    } catch (error) {
      this.outcomes.set(messageId, { status: 'failed', error: errorMessage(error) });
    }
  }

  /** Karpenter's handling of one claim: tell, mark the offering, delete. Safe to repeat. */
  private async act(
    messageId: string,
    message: InterruptionMessage,
    claim: NodeClaim,
    notice: InterruptionNotice,
  ): Promise<void> {
    const { kube, cloud, clock, logger } = this.deps;
    const response = InterruptionResponses[message.kind];
    const name = claim.metadata.name ?? '';
    const node = this.nodeOf(claim);
    const offering = response.markOfferingUnavailable ? spotOfferingOf(claim) : undefined;
    if (offering) {
      cloud.rememberUnavailable([
        { ...offering, expiresAt: clock.now() + UNAVAILABLE_OFFERING_TTL_MS },
      ]);
      this.marked.push(offering);
      this.marking.add(messageId);
    }
    if (response.action === 'CordonAndDrain') {
      this.replacing.set(messageId, [...(this.replacing.get(messageId) ?? []), name]);
      // A claim already on its way out was handled by an earlier delivery (or another trigger).
      if (claim.metadata.deletionTimestamp !== undefined) return;
    }
    const record = (events: readonly KubeEvent[]) =>
      Promise.all(events.map((event) => kube.kube.recordEvent(event)));
    await record(noticeEvents(notice, claim, node));
    if (response.action === 'NoAction') return;
    await kube.kube.deleteNodeClaim(name);
    this.deleted.add(name);
    (this.deps.metrics ?? noMetrics).record(KarpenterMetrics.nodeClaimsDisrupted, 1, {
      [MetricDimension.nodePool]: claim.metadata.labels?.[Labels.nodePool] ?? '',
      [MetricDimension.reason]: labelValue(message.kind),
    });
    logger.info('Deleting the NodeClaim on an interruption', {
      nodeClaim: name,
      node: node?.metadata.name,
      kind: message.kind,
      eventId: message.id,
    });
    const terminating = {
      type: 'Warning',
      reason: TerminatingOnInterruption.reason,
      message: TerminatingOnInterruption.nodeClaimMessage,
    } as const;
    await record(noticeEvents(terminating, claim, node, TerminatingOnInterruption.nodeMessage));
  }

  /** Fails the messages whose follow-up step failed, so SQS delivers them again. */
  failAll(messageIds: Iterable<string>, error: unknown): void {
    for (const messageId of messageIds)
      if (this.outcomes.get(messageId)?.status === 'acted')
        this.outcomes.set(messageId, { status: 'failed', error: errorMessage(error) });
  }
}

/**
 * One batch of interruption messages over one read of the cluster, as Karpenter's interruption
 * controller handles them: every message naming an instance of one of this cluster's NodeClaims
 * gets its Events; a spot interruption holds its offering unavailable for three minutes (shared
 * through the cluster, so every function avoids it); every kind but a rebalance recommendation
 * deletes the claim. Then a provisioning pass is requested so replacements launch while the
 * nodes drain, and a first termination pass starts draining at once. Messages for other
 * instances are ignored; a message whose handling failed is reported failed, to be retried.
 */
export async function runInterruption(
  deps: InterruptionDeps,
  received: readonly ReceivedMessage[],
): Promise<InterruptionResult> {
  const { kube, cloud, clock, logger } = deps;
  for (const { message } of received)
    (deps.metrics ?? noMetrics).record(KarpenterMetrics.interruptionReceivedMessages, 1, {
      [MetricDimension.messageType]: labelValue(message.kind),
    });
  const view = await loadLifecycleView(kube.kube);
  const batch = new InterruptionBatch(deps, view);
  await mapWithConcurrency(received, MESSAGE_CONCURRENCY, (message) => batch.handle(message));

  if (batch.marking.size > 0)
    await shareUnavailableOfferings(kube.unavailableOfferings, cloud).catch((error: unknown) =>
      batch.failAll(batch.marking, error),
    );
  const replaced = [...batch.replacing.values()].flat();
  if (replaced.length > 0)
    await deps
      .requestProvisioning(`interrupted NodeClaim(s) ${replaced.join(', ')}`)
      .catch((error: unknown) => batch.failAll(batch.replacing.keys(), error));

  let termination: TerminationResult | undefined;
  if (batch.deleted.size > 0) {
    const lifecycle: LifecycleDeps = { kube: kube.kube, cloud, clock, logger };
    termination = await runTermination(lifecycle, afterDeletions(view, batch.deleted, clock.now()));
  }
  return {
    outcomes: batch.outcomes,
    nodeClaimsDeleted: [...batch.deleted],
    offeringsMarkedUnavailable: batch.marked,
    termination,
  };
}
