import type { z } from 'zod';
import {
  DaemonSetSchema,
  NodeSchema,
  PersistentVolumeClaimSchema,
  PersistentVolumeSchema,
  PodSchema,
  StorageClassSchema,
  VolumeAttachmentSchema,
} from '../apis/core/index.ts';
import { PodDisruptionBudgetSchema } from '../apis/core/pod-disruption-budget.ts';
import { EC2NodeClassSchema } from '../apis/ec2nodeclass.ts';
import { NodeClaimSchema } from '../apis/nodeclaim.ts';
import { NodePoolSchema } from '../apis/nodepool.ts';
import type { Clock } from '../util/clock.ts';
import { rfc3339 } from './rfc3339.ts';
import { isKubeError } from './errors.ts';
import { parseListed, parseObject, type KubeLogger, type Listed } from './invalid-object.ts';
import type {
  EvictionResult,
  KubeClient,
  KubeEvent,
  NamespacedName,
  PodFilter,
} from './kube-client-port.ts';
import { updateWithRetry, type Mutation, type WriteTarget } from './optimistic-update.ts';
import { ResourceTypes, type ResourceType } from './resource-types.ts';
import type { JsonObject, ListRequest, ObjectKey, ResourceTransport } from './transport.ts';

/** client-go's default list chunk size. */
export const DEFAULT_PAGE_SIZE = 500;
export const REPORTING_COMPONENT = 'skyscale';

export interface KubeClientOptions {
  readonly logger: KubeLogger;
  /** Timestamps on Events. */
  readonly clock: Clock;
  readonly pageSize?: number;
  /** Attempts per update before a conflict is given up; default 5. */
  readonly maxUpdateAttempts?: number;
  /** `reportingInstance` on Events, e.g. the Lambda function name. */
  readonly reportingInstance?: string;
}

/** Cluster-scoped objects' events live in `default`, as client-go's recorder puts them. */
const CLUSTER_EVENT_NAMESPACE = 'default';

/** The KubeClient port over any ResourceTransport: one implementation for every adapter. */
export function createKubeClient(
  transport: ResourceTransport,
  options: KubeClientOptions,
): KubeClient {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;

  async function listAll<S extends z.ZodType>(
    type: ResourceType,
    schema: S,
    request: Omit<ListRequest, 'limit' | 'continue'> = {},
  ): Promise<Listed<z.output<S>>> {
    const objects: JsonObject[] = [];
    let token: string | undefined;
    do {
      const page = await transport.list(type, { ...request, limit: pageSize, continue: token });
      objects.push(...page.items);
      token = page.continue;
    } while (token);
    return parseListed(type, schema, objects, options.logger);
  }

  function update<S extends z.ZodType<JsonObject>>(
    type: ResourceType,
    schema: S,
    key: ObjectKey,
    target: WriteTarget,
    mutate: Mutation<z.output<S>>,
    known?: z.output<S>,
  ): Promise<z.output<S>> {
    return updateWithRetry<z.output<S>>({
      read: async () => parseObject(type, schema, await transport.get(type, key)),
      write: async (patch) =>
        parseObject(
          type,
          schema,
          await transport.patch(type, key, patch, target === 'status' ? 'status' : undefined),
        ),
      mutate,
      target,
      known,
      maxAttempts: options.maxUpdateAttempts,
    });
  }

  async function ignoringNotFound(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (!isKubeError(error, 'NotFound')) throw error;
    }
  }

  return {
    listPods: (filter: PodFilter = {}) =>
      listAll(ResourceTypes.pod, PodSchema, {
        namespace: filter.namespace,
        fieldSelector: podFieldSelector(filter),
      }),
    listNodes: () => listAll(ResourceTypes.node, NodeSchema),
    listDaemonSets: () => listAll(ResourceTypes.daemonSet, DaemonSetSchema),
    listPodDisruptionBudgets: () =>
      listAll(ResourceTypes.podDisruptionBudget, PodDisruptionBudgetSchema),
    listNodePools: () => listAll(ResourceTypes.nodePool, NodePoolSchema),
    listNodeClaims: () => listAll(ResourceTypes.nodeClaim, NodeClaimSchema),
    listEC2NodeClasses: () => listAll(ResourceTypes.ec2NodeClass, EC2NodeClassSchema),
    listVolumeAttachments: () => listAll(ResourceTypes.volumeAttachment, VolumeAttachmentSchema),
    listPersistentVolumes: () => listAll(ResourceTypes.persistentVolume, PersistentVolumeSchema),
    listPersistentVolumeClaims: () =>
      listAll(ResourceTypes.persistentVolumeClaim, PersistentVolumeClaimSchema),
    listStorageClasses: () => listAll(ResourceTypes.storageClass, StorageClassSchema),

    async getNodeClaim(name) {
      try {
        return parseObject(
          ResourceTypes.nodeClaim,
          NodeClaimSchema,
          await transport.get(ResourceTypes.nodeClaim, { name }),
        );
      } catch (error) {
        if (isKubeError(error, 'NotFound')) return undefined;
        throw error;
      }
    },
    async createNodeClaim(nodeClaim) {
      const created = await transport.create(ResourceTypes.nodeClaim, nodeClaim);
      return parseObject(ResourceTypes.nodeClaim, NodeClaimSchema, created);
    },
    updateNodeClaim: (name, mutate, known) =>
      update(ResourceTypes.nodeClaim, NodeClaimSchema, { name }, 'object', mutate, known),
    updateNodeClaimStatus: (name, mutate, known) =>
      update(ResourceTypes.nodeClaim, NodeClaimSchema, { name }, 'status', mutate, known),
    deleteNodeClaim: (name) =>
      ignoringNotFound(() => transport.delete(ResourceTypes.nodeClaim, { name })),
    updateNodePoolStatus: (name, mutate) =>
      update(ResourceTypes.nodePool, NodePoolSchema, { name }, 'status', mutate),
    updateNodePool: (name, mutate) =>
      update(ResourceTypes.nodePool, NodePoolSchema, { name }, 'object', mutate),
    updateEC2NodeClass: (name, mutate) =>
      update(ResourceTypes.ec2NodeClass, EC2NodeClassSchema, { name }, 'object', mutate),
    updateEC2NodeClassStatus: (name, mutate, known) =>
      update(ResourceTypes.ec2NodeClass, EC2NodeClassSchema, { name }, 'status', mutate, known),
    updateNode: (name, mutate, known) =>
      update(ResourceTypes.node, NodeSchema, { name }, 'object', mutate, known),
    deleteNode: (name) => ignoringNotFound(() => transport.delete(ResourceTypes.node, { name })),

    async evictPod(pod: NamespacedName): Promise<EvictionResult> {
      try {
        await transport.evict(pod);
        return 'evicted';
      } catch (error) {
        if (isKubeError(error, 'TooManyRequests')) return 'blocked';
        if (isKubeError(error, 'NotFound')) return 'not-found';
        throw error;
      }
    },
    deletePod: (pod, options) =>
      ignoringNotFound(() => transport.delete(ResourceTypes.pod, pod, options)),

    async recordEvent(event: KubeEvent) {
      try {
        await transport.create(
          ResourceTypes.event,
          eventObject(event, rfc3339(options.clock.now()), options.reportingInstance),
        );
      } catch (error) {
        // Events are best effort, as with client-go's recorder: losing one must not fail a run.
        options.logger.warn('Could not record an event', {
          reason: event.reason,
          object: event.involvedObject,
          error: String(error),
        });
      }
    },
  };
}

function podFieldSelector(filter: PodFilter): Record<string, string> | undefined {
  if (filter.nodeName !== undefined) return { 'spec.nodeName': filter.nodeName };
  if (filter.unbound) return { 'spec.nodeName': '', 'status.phase': 'Pending' };
  return undefined;
}

function eventObject(
  event: KubeEvent,
  now: string,
  reportingInstance = REPORTING_COMPONENT,
): JsonObject {
  const { involvedObject } = event;
  return {
    metadata: {
      generateName: `${involvedObject.name}.`,
      namespace: involvedObject.namespace ?? CLUSTER_EVENT_NAMESPACE,
    },
    involvedObject,
    type: event.type,
    reason: event.reason,
    message: event.message,
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    source: { component: REPORTING_COMPONENT },
    reportingComponent: REPORTING_COMPONENT,
    reportingInstance,
  };
}
