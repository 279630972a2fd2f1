import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import { namespaceRequiredError } from '../errors.ts';
import type { ResourceType } from '../resource-types.ts';
import type {
  DeleteOptions,
  JsonObject,
  ListPage,
  ListRequest,
  ObjectKey,
  ResourceTransport,
} from '../transport.ts';
import { translatingErrors } from './api-errors.ts';
import { shareConnections } from './shared-connections.ts';
import { toWireObject } from './wire-json.ts';

const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

interface ListResponse {
  readonly items: readonly unknown[];
  readonly metadata?: { readonly _continue?: string; readonly continue?: string };
}

function fieldSelectorText(request: ListRequest): string | undefined {
  const entries = Object.entries(request.fieldSelector ?? {});
  return entries.length ? entries.map(([path, value]) => `${path}=${value}`).join(',') : undefined;
}

const CORE_KINDS = [
  'pods',
  'nodes',
  'events',
  'persistentvolumes',
  'persistentvolumeclaims',
  'configmaps',
] as const;
type CoreKind = (typeof CORE_KINDS)[number];

/** The core-group kinds this adapter maps onto CoreV1Api methods. */
function coreKind(type: ResourceType): CoreKind {
  const kind = CORE_KINDS.find((plural) => plural === type.plural);
  if (kind === undefined)
    throw new Error(`ClientNodeTransport does not support core kind ${type.kind}`);
  return kind;
}

function namespaceOf(type: ResourceType, key: ObjectKey | JsonObject): string {
  const namespace =
    'metadata' in key
      ? (key.metadata as { namespace?: string }).namespace
      : (key as ObjectKey).namespace;
  if (!namespace) throw namespaceRequiredError(type);
  return namespace;
}

/**
 * ResourceTransport over @kubernetes/client-node 2.x. Custom resources and every non-core group
 * (apps, policy, coordination) go through CustomObjectsApi, whose URLs are generic and whose
 * answers are untouched JSON; the core group needs CoreV1Api, whose model
 * objects are converted back to wire JSON (pods, nodes, events, PersistentVolumes and claims,
 * ConfigMaps).
 */
export class ClientNodeTransport implements ResourceTransport {
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;

  constructor(kubeConfig: KubeConfig) {
    shareConnections(kubeConfig);
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  async list(type: ResourceType, request: ListRequest): Promise<ListPage> {
    const query = {
      limit: request.limit,
      _continue: request.continue,
      fieldSelector: fieldSelectorText(request),
    };
    const response = await translatingErrors<ListResponse>(() => {
      if (type.group) {
        const path = { group: type.group, version: type.version, plural: type.plural, ...query };
        return request.namespace && type.namespaced
          ? this.custom.listNamespacedCustomObject({ ...path, namespace: request.namespace })
          : this.custom.listClusterCustomObject(path);
      }
      return this.coreList(type, request.namespace, query);
    });
    const token = response.metadata?._continue ?? response.metadata?.continue;
    return { items: response.items.map(toWireObject), continue: token || undefined };
  }

  async get(type: ResourceType, key: ObjectKey): Promise<JsonObject> {
    const { name } = key;
    const object = await translatingErrors<unknown>(() => {
      if (type.group) {
        const path = { group: type.group, version: type.version, plural: type.plural, name };
        return type.namespaced
          ? this.custom.getNamespacedCustomObject({ ...path, namespace: namespaceOf(type, key) })
          : this.custom.getClusterCustomObject(path);
      }
      switch (coreKind(type)) {
        case 'pods':
          return this.core.readNamespacedPod({ name, namespace: namespaceOf(type, key) });
        case 'nodes':
          return this.core.readNode({ name });
        case 'events':
          return this.core.readNamespacedEvent({ name, namespace: namespaceOf(type, key) });
        case 'persistentvolumes':
          return this.core.readPersistentVolume({ name });
        case 'persistentvolumeclaims':
          return this.core.readNamespacedPersistentVolumeClaim({
            name,
            namespace: namespaceOf(type, key),
          });
        case 'configmaps':
          return this.core.readNamespacedConfigMap({ name, namespace: namespaceOf(type, key) });
      }
    });
    return toWireObject(object);
  }

  async create(type: ResourceType, object: JsonObject): Promise<JsonObject> {
    const body = object as never;
    const created = await translatingErrors<unknown>(() => {
      if (type.group) {
        const path = { group: type.group, version: type.version, plural: type.plural, body };
        return type.namespaced
          ? this.custom.createNamespacedCustomObject({
              ...path,
              namespace: namespaceOf(type, object),
            })
          : this.custom.createClusterCustomObject(path);
      }
      switch (coreKind(type)) {
        case 'pods':
          return this.core.createNamespacedPod({ namespace: namespaceOf(type, object), body });
        case 'nodes':
          return this.core.createNode({ body });
        case 'events':
          return this.core.createNamespacedEvent({ namespace: namespaceOf(type, object), body });
        case 'persistentvolumes':
          return this.core.createPersistentVolume({ body });
        case 'persistentvolumeclaims':
          return this.core.createNamespacedPersistentVolumeClaim({
            namespace: namespaceOf(type, object),
            body,
          });
        case 'configmaps':
          return this.core.createNamespacedConfigMap({
            namespace: namespaceOf(type, object),
            body,
          });
      }
    });
    return toWireObject(created);
  }

  async patch(
    type: ResourceType,
    key: ObjectKey,
    body: JsonObject,
    subresource?: 'status',
  ): Promise<JsonObject> {
    const { name } = key;
    const status = subresource === 'status';
    const patched = await translatingErrors<unknown>(() => {
      if (type.group) {
        const path = { group: type.group, version: type.version, plural: type.plural, name, body };
        if (!type.namespaced) {
          return status
            ? this.custom.patchClusterCustomObjectStatus(path, MERGE_PATCH)
            : this.custom.patchClusterCustomObject(path, MERGE_PATCH);
        }
        const namespaced = { ...path, namespace: namespaceOf(type, key) };
        return status
          ? this.custom.patchNamespacedCustomObjectStatus(namespaced, MERGE_PATCH)
          : this.custom.patchNamespacedCustomObject(namespaced, MERGE_PATCH);
      }
      switch (coreKind(type)) {
        case 'nodes':
          return status
            ? this.core.patchNodeStatus({ name, body }, MERGE_PATCH)
            : this.core.patchNode({ name, body }, MERGE_PATCH);
        case 'pods': {
          const namespaced = { name, namespace: namespaceOf(type, key), body };
          return status
            ? this.core.patchNamespacedPodStatus(namespaced, MERGE_PATCH)
            : this.core.patchNamespacedPod(namespaced, MERGE_PATCH);
        }
        case 'events':
          return this.core.patchNamespacedEvent(
            { name, namespace: namespaceOf(type, key), body },
            MERGE_PATCH,
          );
        case 'persistentvolumes':
          return status
            ? this.core.patchPersistentVolumeStatus({ name, body }, MERGE_PATCH)
            : this.core.patchPersistentVolume({ name, body }, MERGE_PATCH);
        case 'persistentvolumeclaims': {
          const namespaced = { name, namespace: namespaceOf(type, key), body };
          return status
            ? this.core.patchNamespacedPersistentVolumeClaimStatus(namespaced, MERGE_PATCH)
            : this.core.patchNamespacedPersistentVolumeClaim(namespaced, MERGE_PATCH);
        }
        case 'configmaps':
          return this.core.patchNamespacedConfigMap(
            { name, namespace: namespaceOf(type, key), body },
            MERGE_PATCH,
          );
      }
    });
    return toWireObject(patched);
  }

  async delete(type: ResourceType, key: ObjectKey, options: DeleteOptions = {}): Promise<void> {
    const { name } = key;
    await translatingErrors<unknown>(() => {
      if (type.group) {
        const path = { group: type.group, version: type.version, plural: type.plural, name };
        return type.namespaced
          ? this.custom.deleteNamespacedCustomObject({ ...path, namespace: namespaceOf(type, key) })
          : this.custom.deleteClusterCustomObject(path);
      }
      switch (coreKind(type)) {
        case 'pods':
          return this.core.deleteNamespacedPod({
            name,
            namespace: namespaceOf(type, key),
            gracePeriodSeconds: options.gracePeriodSeconds,
          });
        case 'nodes':
          return this.core.deleteNode({ name });
        case 'events':
          return this.core.deleteNamespacedEvent({ name, namespace: namespaceOf(type, key) });
        case 'persistentvolumes':
          return this.core.deletePersistentVolume({ name });
        case 'persistentvolumeclaims':
          return this.core.deleteNamespacedPersistentVolumeClaim({
            name,
            namespace: namespaceOf(type, key),
          });
        case 'configmaps':
          return this.core.deleteNamespacedConfigMap({ name, namespace: namespaceOf(type, key) });
      }
    });
  }

  async evict(key: Required<ObjectKey>): Promise<void> {
    const body = {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: key.name, namespace: key.namespace },
    };
    await translatingErrors(() => this.core.createNamespacedPodEviction({ ...key, body }));
  }

  private coreList(
    type: ResourceType,
    namespace: string | undefined,
    query: { limit: number; _continue: string | undefined; fieldSelector: string | undefined },
  ): Promise<ListResponse> {
    switch (coreKind(type)) {
      case 'nodes':
        return this.core.listNode(query);
      case 'pods':
        return namespace
          ? this.core.listNamespacedPod({ ...query, namespace })
          : this.core.listPodForAllNamespaces(query);
      case 'events':
        return namespace
          ? this.core.listNamespacedEvent({ ...query, namespace })
          : this.core.listEventForAllNamespaces(query);
      case 'persistentvolumes':
        return this.core.listPersistentVolume(query);
      case 'persistentvolumeclaims':
        return namespace
          ? this.core.listNamespacedPersistentVolumeClaim({ ...query, namespace })
          : this.core.listPersistentVolumeClaimForAllNamespaces(query);
      case 'configmaps':
        return namespace
          ? this.core.listNamespacedConfigMap({ ...query, namespace })
          : this.core.listConfigMapForAllNamespaces(query);
    }
  }
}
