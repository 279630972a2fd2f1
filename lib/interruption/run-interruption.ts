import type { NodeClaim } from '../apis/index.ts';
import type { CloudProvider, OfferingKey } from '../cloudprovider/index.ts';
import {
  UNAVAILABLE_OFFERING_TTL_MS,
  UNAVAILABLE_RESERVATION_TTL_MS,
} from '../cloudprovider/ec2-model/unavailable-offerings.ts';
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
import { recordNodeClaimDisrupted, type RunLogger } from '../provisioning/index.ts';
import { offeringEntryKey, shareUnavailableOfferings } from '../state/index.ts';
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
  offeringToMark,
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

/** What a step's promise settled with: undefined, or the error it failed with. */
function failureOf(step: Promise<unknown>): Promise<unknown> {
  return step.then(
    () => undefined,
    (error: unknown) => error ?? new Error('failed'),
  );
}

class InterruptionBatch {
  readonly outcomes = new Map<string, MessageOutcome>();
  readonly deleted = new Set<string>();
  /** The offerings held unavailable, each once, by their ConfigMap key. */
  readonly marked = new Map<string, OfferingKey>();
  /** Messages whose offerings must reach the cluster, and whose claims need replacements. */
  readonly marking = new Set<string>();
  readonly replacing = new Map<string, string[]>();
  /** Events being recorded: best effort, awaited before the run ends but never in its way. */
  private readonly recording: Promise<unknown>[] = [];

  private readonly claimsOf: (message: InterruptionMessage) => NodeClaim[];
  private readonly nodeOf: ReturnType<typeof nodeOfClaim>;

  constructor(
    private readonly deps: InterruptionDeps,
    view: LifecycleView,
  ) {
    const byInstance = claimsByInstanceId(view.nodeClaims);
    this.claimsOf = (message) => message.instanceIDs.flatMap((id) => byInstance.get(id) ?? []);
    this.nodeOf = nodeOfClaim(view.nodes);
  }

  /**
   * Holds unavailable, in this container's provider, what the messages' interruptions take away
   * (spot offerings, capacity reservations): known from the read alone, so the cluster can be
   * told while the claims are being deleted.
   */
  markUnavailable(received: readonly ReceivedMessage[]): void {
    const now = this.deps.clock.now();
    for (const { messageId, message } of received) {
      const marks = InterruptionResponses[message.kind].marksUnavailable;
      if (!marks) continue;
      for (const claim of this.claimsOf(message)) {
        const offering = offeringToMark(claim, marks);
        if (!offering) continue;
        const ttl = offering.reservationId
          ? UNAVAILABLE_RESERVATION_TTL_MS
          : UNAVAILABLE_OFFERING_TTL_MS;
        this.deps.cloud.rememberUnavailable([{ ...offering, expiresAt: now + ttl }]);
        this.marked.set(offeringEntryKey(offering), offering);
        this.marking.add(messageId);
      }
    }
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
    const claims = this.claimsOf(message);
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

  /** Karpenter's handling of one claim: tell, delete. Safe to repeat. */
  private async act(
    messageId: string,
    message: InterruptionMessage,
    claim: NodeClaim,
    notice: InterruptionNotice,
  ): Promise<void> {
    const { kube, logger } = this.deps;
    const { action } = InterruptionResponses[message.kind];
    const name = claim.metadata.name ?? '';
    const node = this.nodeOf(claim);
    if (action === 'CordonAndDrain') {
      this.replacing.set(messageId, [...(this.replacing.get(messageId) ?? []), name]);
      // A claim already on its way out was handled by an earlier delivery (or another trigger).
      if (claim.metadata.deletionTimestamp !== undefined) return;
    }
    if (action === 'NoAction') return this.record(noticeEvents(notice, claim, node));
    // The deletion is sent first: the drain and the replacement wait on it, not on the Events.
    const deleting = kube.kube.deleteNodeClaim(name);
    this.record(noticeEvents(notice, claim, node));
    await deleting;
    this.deleted.add(name);
    recordNodeClaimDisrupted(this.deps.metrics, claim, message.kind);
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
    this.record(noticeEvents(terminating, claim, node, TerminatingOnInterruption.nodeMessage));
  }

  private record(events: readonly KubeEvent[]): void {
    for (const event of events)
      this.recording.push(
        failureOf(this.deps.kube.kube.recordEvent(event)).then((error) => {
          if (error)
            this.deps.logger.warn('Could not record an event', {
              reason: event.reason,
              error: errorMessage(error),
            });
        }),
      );
  }

  async eventsRecorded(): Promise<void> {
    await Promise.all(this.recording);
  }

  /** Fails the messages whose follow-up step failed, so SQS delivers them again. */
  failAll(messageIds: Iterable<string>, error: unknown): void {
    if (error === undefined) return;
    for (const messageId of messageIds)
      if (this.outcomes.get(messageId)?.status === 'acted')
        this.outcomes.set(messageId, { status: 'failed', error: errorMessage(error) });
  }
}

/**
 * One batch of interruption messages over one read of the cluster, as Karpenter's interruption
 * controller handles them: every message naming an instance of one of this cluster's NodeClaims
 * gets its Events; a spot interruption holds its offering unavailable for three minutes, a
 * capacity reservation interruption its reservation for one (shared through the cluster, so
 * every function avoids them); every kind but a rebalance recommendation deletes the claim.
 * The offerings are written to the cluster while the claims are deleted; then a provisioning
 * pass is requested so replacements launch while the nodes drain, and a first termination pass
 * starts draining at once. Events never hold these steps up. Messages for other instances are
 * ignored; a message whose handling failed is reported failed, to be retried.
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
  batch.markUnavailable(received);
  const sharing = failureOf(
    batch.marking.size > 0
      ? shareUnavailableOfferings(kube.unavailableOfferings, cloud)
      : Promise.resolve(),
  );
  await mapWithConcurrency(received, MESSAGE_CONCURRENCY, (message) => batch.handle(message));

  // The signal waits for the offerings to reach the cluster, so the pass it starts avoids them,
  // and the drain for the signal, so that pass still finds the pods it must re-plan on their nodes.
  batch.failAll(batch.marking, await sharing);
  const replaced = [...batch.replacing.values()].flat();
  if (replaced.length > 0) {
    const reason = `interrupted NodeClaim(s) ${replaced.join(', ')}`;
    batch.failAll(batch.replacing.keys(), await failureOf(deps.requestProvisioning(reason)));
  }
  const lifecycle: LifecycleDeps = { kube: kube.kube, cloud, clock, logger, metrics: deps.metrics };
  const [termination] = await Promise.all([
    batch.deleted.size > 0
      ? runTermination(lifecycle, afterDeletions(view, batch.deleted, clock.now()))
      : undefined,
    batch.eventsRecorded(),
  ]);
  return {
    outcomes: batch.outcomes,
    nodeClaimsDeleted: [...batch.deleted],
    offeringsMarkedUnavailable: [...batch.marked.values()],
    termination,
  };
}
