import type { ResourceType } from './resource-types.ts';

/** A Kubernetes object as JSON on the wire, before schema validation. */
export type JsonObject = Record<string, unknown>;

export interface ListRequest {
  readonly namespace?: string | undefined;
  /** Field path → required value, e.g. `{ 'spec.nodeName': 'node-a' }`. */
  readonly fieldSelector?: Readonly<Record<string, string>> | undefined;
  readonly limit: number;
  readonly continue?: string | undefined;
}

export interface ListPage {
  readonly items: readonly JsonObject[];
  /** Token for the next page; absent on the last page. */
  readonly continue?: string | undefined;
}

export interface ObjectKey {
  readonly name: string;
  /** Required for namespaced resources, ignored for cluster-scoped ones. */
  readonly namespace?: string | undefined;
}

export interface DeleteOptions {
  /** Pods only: overrides `terminationGracePeriodSeconds`; 0 deletes at once. */
  readonly gracePeriodSeconds?: number | undefined;
}

/**
 * The raw Kubernetes API operations KubeClient is built on. Each adapter (client-node, in-memory)
 * implements only this, and throws KubeApiError, so everything above it (pagination, schema
 * validation, conflict retries, events) is written once and cannot drift between adapters.
 */
export interface ResourceTransport {
  list(type: ResourceType, request: ListRequest): Promise<ListPage>;
  get(type: ResourceType, key: ObjectKey): Promise<JsonObject>;
  /** Honours `metadata.generateName` when `metadata.name` is absent. */
  create(type: ResourceType, object: JsonObject): Promise<JsonObject>;
  /**
   * A JSON merge patch (RFC 7386). A `metadata.resourceVersion` in the patch is a precondition:
   * a stale one fails with Conflict. With `subresource: 'status'` only `status` changes apply;
   * without it, changes to `status` are ignored.
   */
  patch(
    type: ResourceType,
    key: ObjectKey,
    patch: JsonObject,
    subresource?: 'status',
  ): Promise<JsonObject>;
  /** With finalizers, or for a running pod (graceful deletion), only sets `deletionTimestamp`. */
  delete(type: ResourceType, key: ObjectKey, options?: DeleteOptions): Promise<void>;
  /** The Eviction API; a disruption budget that blocks it fails with TooManyRequests. */
  evict(key: Required<ObjectKey>): Promise<void>;
}
