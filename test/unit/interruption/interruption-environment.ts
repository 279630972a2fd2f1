/**
 * The lifecycle environment plus what an interruption run needs: its dependencies with a
 * recorded provisioning request, and the SQS messages AWS would deliver for a claim's instance.
 */
import type { NodeClaim } from '../../../lib/apis/index.ts';
import {
  parseInterruptionMessage,
  runInterruption,
  type InterruptionDeps,
  type InterruptionResult,
  type ReceivedMessage,
} from '../../../lib/interruption/index.ts';
import { LifecycleEnvironment } from '../lifecycle/lifecycle-environment.ts';

export class InterruptionEnvironment extends LifecycleEnvironment {
  readonly provisioningRequests: string[] = [];

  interruptionDeps(overrides: Partial<InterruptionDeps> = {}): InterruptionDeps {
    return {
      kube: this.kube,
      cloud: this.cloud,
      clock: this.clock,
      logger: this.logger,
      requestProvisioning: async (reason) => void this.provisioningRequests.push(reason),
      ...overrides,
    };
  }

  /** The claim's instance ID, as EC2 events name it. */
  instanceIdOf(claim: NodeClaim): string {
    return this.instanceOf(claim).id;
  }

  async interrupt(
    events: readonly object[],
    overrides: Partial<InterruptionDeps> = {},
  ): Promise<InterruptionResult> {
    const received: ReceivedMessage[] = events.map((event, index) => ({
      messageId: `m${index}`,
      message: parseInterruptionMessage(JSON.stringify(event)),
    }));
    return runInterruption(this.interruptionDeps(overrides), received);
  }

  /** `reason kind/name` of every Event recorded so far. */
  async eventSummaries(): Promise<string[]> {
    return (await this.events()).map(
      ({ reason, involvedObject }) => `${reason} ${involvedObject.kind}/${involvedObject.name}`,
    );
  }
}
