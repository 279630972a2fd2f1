import { systemClock } from '../../../lib/util/clock.ts';
import {
  type KubeClient,
  type KubeLogger,
  type ResourceTransport,
} from '../../../lib/kube/index.ts';
import {
  createKubeClient,
  type KubeClientOptions,
} from '../../../lib/kube/kube-client-over-transport.ts';

/** What the contract suite needs from an adapter: its raw transport and a fresh namespace. */
export interface ContractHarness {
  /** Unlimited and unvalidated: arranges state the port has no operation for (pods, nodes, budgets). */
  readonly transport: ResourceTransport;
  /** A namespace that exists and that no other test uses. */
  readonly namespace: string;
}

export type HarnessFactory = () => Promise<ContractHarness>;

export interface RecordingLogger extends KubeLogger {
  readonly warnings: { message: string; attributes: Record<string, unknown> }[];
}

export function recordingLogger(): RecordingLogger {
  const warnings: RecordingLogger['warnings'] = [];
  return { warnings, warn: (message, attributes) => warnings.push({ message, attributes }) };
}

export function clientFor(
  harness: ContractHarness,
  options: Partial<KubeClientOptions> = {},
): KubeClient {
  return createKubeClient(harness.transport, {
    logger: recordingLogger(),
    clock: systemClock,
    ...options,
  });
}

/** Names of cluster-scoped objects, unique to this namespace so files sharing an apiserver never collide. */
export function clusterName(harness: ContractHarness, suffix: string): string {
  return `${harness.namespace}-${suffix}`;
}

/** `transport` with some operations replaced, e.g. to inject failures. */
export function overriding(
  transport: ResourceTransport,
  overrides: Partial<ResourceTransport>,
): ResourceTransport {
  return {
    list: (type, request) => transport.list(type, request),
    get: (type, key) => transport.get(type, key),
    create: (type, object) => transport.create(type, object),
    patch: (type, key, patch, subresource) => transport.patch(type, key, patch, subresource),
    delete: (type, key, options) => transport.delete(type, key, options),
    evict: (key) => transport.evict(key),
    ...overrides,
  };
}

/**
 * `transport` with a rival writer: before each of the first `times` patches it changes the object
 * itself, so the patch's resourceVersion is stale when it arrives, deterministically on any adapter.
 */
export function withRivalWrites(
  transport: ResourceTransport,
  times: number,
): ResourceTransport & { readonly rivalWrites: () => number } {
  let rivalWrites = 0;
  const rival = overriding(transport, {
    async patch(type, key, patch, subresource) {
      if (rivalWrites < times) {
        rivalWrites++;
        await transport.patch(type, key, { metadata: { labels: { rival: String(rivalWrites) } } });
      }
      return transport.patch(type, key, patch, subresource);
    },
  });
  return { ...rival, rivalWrites: () => rivalWrites };
}
