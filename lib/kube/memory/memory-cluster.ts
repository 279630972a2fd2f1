import type { Clock } from '../../util/clock.ts';
import { settled } from '../../util/settled.ts';
import { rfc3339 } from '../rfc3339.ts';
import { KubeApiError } from '../errors.ts';
import { applyMergePatch, jsonEqual } from '../merge-patch.ts';
import { apiVersionOf, type ResourceType } from '../resource-types.ts';
import type {
  DeleteOptions,
  JsonObject,
  ListPage,
  ListRequest,
  ObjectKey,
  ResourceTransport,
} from '../transport.ts';
import { evictThroughBudgets } from './eviction.ts';
import { sequentialIds, type IdSource } from './id-source.ts';
import { fieldValue, metaOf, withMeta, type WireMeta } from './object-meta.ts';

export interface MemoryClusterOptions {
  readonly clock: Clock;
  /** Defaults to deterministic sequential ids. */
  readonly ids?: IdSource;
}

/** Kinds without a status subresource: `status` is ordinary content for them. */
const WITHOUT_STATUS = new Set(['events', 'leases']);
/** Kinds whose `metadata.generation` counts spec changes (the apiserver keeps none for these). */
const WITHOUT_GENERATION = new Set(['nodes', 'events', 'leases', 'pods']);
/** Kinds whose status may be set on create; the apiserver resets it for every other kind. */
const STATUS_ON_CREATE = new Set(['nodes']);
/** The status the apiserver gives a new object of these kinds; others (custom resources) get none. */
const INITIAL_STATUS: Readonly<Record<string, JsonObject>> = {
  pods: { phase: 'Pending' },
  poddisruptionbudgets: {
    disruptionsAllowed: 0,
    currentHealthy: 0,
    desiredHealthy: 0,
    expectedPods: 0,
  },
  daemonsets: {
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    desiredNumberScheduled: 0,
    numberReady: 0,
  },
};
/** Metadata only the apiserver sets; a patch cannot change it. */
const SERVER_OWNED_METADATA = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;
/** The grace period the apiserver gives a bound pod that does not set terminationGracePeriodSeconds. */
const DEFAULT_POD_GRACE_SECONDS = 30;

/**
 * An in-memory kube-apiserver holding any kind: resourceVersions from one cluster-wide counter,
 * generateName, uids, creationTimestamp from the clock, finalizers with deletionTimestamp, graceful
 * pod deletion, the status subresource, field selectors, paginated lists and the Eviction API.
 * The shared contract suite runs the same tests against it and against a real kube-apiserver.
 */
export class MemoryCluster implements ResourceTransport {
  private readonly stores = new Map<string, Map<string, JsonObject>>();
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private revision = 0;

  constructor(options: MemoryClusterOptions) {
    this.clock = options.clock;
    this.ids = options.ids ?? sequentialIds();
  }

  list(type: ResourceType, request: ListRequest): Promise<ListPage> {
    return settled(() => this.listNow(type, request));
  }

  get(type: ResourceType, key: ObjectKey): Promise<JsonObject> {
    return settled(() => copyOf(this.existing(type, key)));
  }

  create(type: ResourceType, object: JsonObject): Promise<JsonObject> {
    return settled(() => this.createNow(type, object));
  }

  patch(
    type: ResourceType,
    key: ObjectKey,
    patch: JsonObject,
    subresource?: 'status',
  ): Promise<JsonObject> {
    return settled(() => this.patchNow(type, key, patch, subresource));
  }

  delete(type: ResourceType, key: ObjectKey, options: DeleteOptions = {}): Promise<void> {
    return settled(() => this.deleteNow(type, key, options));
  }

  private listNow(type: ResourceType, request: ListRequest): ListPage {
    const store = this.store(type);
    const after =
      request.continue === undefined
        ? undefined
        : Buffer.from(request.continue, 'base64url').toString();
    const fields = Object.entries(request.fieldSelector ?? {});
    // Filtered before sorting: a field-selected list (a node's pods) sorts a handful of keys, not all.
    const matching = [...store.entries()]
      .filter(([key, object]) => {
        if (after !== undefined && key <= after) return false;
        const inNamespace = !request.namespace || metaOf(object).namespace === request.namespace;
        return inNamespace && fields.every(([path, value]) => fieldValue(object, path) === value);
      })
      .map(([key]) => key)
      .sort();
    const page = matching.slice(0, request.limit);
    const last = page.at(-1);
    const more = matching.length > page.length && last !== undefined;
    return {
      items: page.map((key) => copyOf(store.get(key) as JsonObject)),
      continue: more ? Buffer.from(last).toString('base64url') : undefined,
    };
  }

  private createNow(type: ResourceType, object: JsonObject): JsonObject {
    const meta = metaOf(object);
    const namespace = type.namespaced ? meta.namespace : undefined;
    if (type.namespaced && !namespace) throw invalid(type, 'metadata.namespace: Required value');
    const name =
      meta.name ??
      (meta.generateName ? this.generatedName(type, namespace, meta.generateName) : undefined);
    if (!name)
      throw invalid(type, 'metadata.name: Required value: name or generateName is required');
    if (this.store(type).has(storeKey(type, { name, namespace }))) {
      throw KubeApiError.fromStatus(
        409,
        `${resourceName(type)} "${name}" already exists`,
        'AlreadyExists',
      );
    }
    const created: JsonObject = {
      ...object,
      apiVersion: apiVersionOf(type),
      kind: type.kind,
      metadata: {
        ...withoutNamespace(meta),
        name,
        ...(namespace === undefined ? {} : { namespace }),
        uid: this.ids.uid(),
        resourceVersion: this.nextRevision(),
        creationTimestamp: rfc3339(this.clock.now()),
        ...(WITHOUT_GENERATION.has(type.plural) ? {} : { generation: 1 }),
      },
    };
    if (!WITHOUT_STATUS.has(type.plural) && !STATUS_ON_CREATE.has(type.plural)) {
      const initial = INITIAL_STATUS[type.plural];
      if (initial) created['status'] = copyOf(initial);
      else delete created['status'];
    }
    if (type.plural === 'nodes') withNotReadyTaint(created);
    this.store(type).set(storeKey(type, { name, namespace }), created);
    return copyOf(created);
  }

  private patchNow(
    type: ResourceType,
    key: ObjectKey,
    patch: JsonObject,
    subresource?: 'status',
  ): JsonObject {
    const current = this.existing(type, key);
    const currentMeta = metaOf(current);
    const precondition = metaOf(patch).resourceVersion;
    if (precondition !== undefined && precondition !== currentMeta.resourceVersion) {
      throw KubeApiError.fromStatus(
        409,
        `Operation cannot be fulfilled on ${resourceName(type)} "${key.name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    const patched = applyMergePatch(current, patch) as JsonObject;
    const next = this.keepServerFields(type, current, patched, subresource);
    if (jsonEqual(next, current)) return copyOf(current);
    const nextMeta = metaOf(next);
    if (
      currentMeta.deletionTimestamp &&
      (nextMeta.finalizers ?? []).some((f) => !currentMeta.finalizers?.includes(f))
    ) {
      throw invalid(
        type,
        'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted',
      );
    }
    const generation = this.nextGeneration(type, current, next);
    const stored = withMeta(next, {
      resourceVersion: this.nextRevision(),
      ...(generation === undefined ? {} : { generation }),
    });
    this.replace(type, key, stored);
    return copyOf(stored);
  }

  private deleteNow(type: ResourceType, key: ObjectKey, options: DeleteOptions): void {
    const current = this.existing(type, key);
    const meta = metaOf(current);
    const graceSeconds = podGraceSeconds(type, current, options.gracePeriodSeconds);
    if (graceSeconds === 0 && !meta.finalizers?.length) {
      this.store(type).delete(storeKey(type, key));
      return;
    }
    const alreadySooner =
      meta.deletionTimestamp && graceSeconds >= (meta.deletionGracePeriodSeconds ?? 0);
    if (alreadySooner) return;
    const marked = withMeta(current, {
      resourceVersion: this.nextRevision(),
      deletionTimestamp: rfc3339(this.clock.now() + graceSeconds * 1000),
      deletionGracePeriodSeconds: graceSeconds,
    });
    this.store(type).set(storeKey(type, key), marked);
  }

  async evict(key: Required<ObjectKey>): Promise<void> {
    await evictThroughBudgets(this, key);
  }

  /** Stores `next`, or removes it when its deletion has nothing left to wait for. */
  private replace(type: ResourceType, key: ObjectKey, next: JsonObject): void {
    const meta = metaOf(next);
    const finished =
      meta.deletionTimestamp && !meta.finalizers?.length && !meta.deletionGracePeriodSeconds;
    if (finished) this.store(type).delete(storeKey(type, key));
    else this.store(type).set(storeKey(type, key), next);
  }

  private keepServerFields(
    type: ResourceType,
    current: JsonObject,
    patched: JsonObject,
    subresource?: 'status',
  ): JsonObject {
    if (subresource === 'status') return { ...current, status: patched['status'] };
    const currentMeta = metaOf(current) as Record<string, unknown>;
    const meta = { ...metaOf(patched) } as Record<string, unknown>;
    for (const field of SERVER_OWNED_METADATA) {
      if (currentMeta[field] === undefined) delete meta[field];
      else meta[field] = currentMeta[field];
    }
    const next: JsonObject = { ...patched, metadata: meta };
    if (WITHOUT_STATUS.has(type.plural)) return next;
    if (current['status'] === undefined) delete next['status'];
    else next['status'] = current['status'];
    return next;
  }

  private nextGeneration(
    type: ResourceType,
    current: JsonObject,
    next: JsonObject,
  ): number | undefined {
    const generation = metaOf(current).generation;
    if (WITHOUT_GENERATION.has(type.plural) || generation === undefined) return undefined;
    const content = ({ metadata: _metadata, status: _status, ...rest }: JsonObject) => rest;
    return jsonEqual(content(current), content(next)) ? generation : generation + 1;
  }

  private existing(type: ResourceType, key: ObjectKey): JsonObject {
    const object = this.store(type).get(storeKey(type, key));
    if (!object)
      throw KubeApiError.fromStatus(404, `${resourceName(type)} "${key.name}" not found`);
    return object;
  }

  private generatedName(type: ResourceType, namespace: string | undefined, prefix: string): string {
    for (;;) {
      const name = prefix + this.ids.nameSuffix();
      if (!this.store(type).has(storeKey(type, { name, namespace }))) return name;
    }
  }

  private nextRevision(): string {
    return String(++this.revision);
  }

  private store(type: ResourceType): Map<string, JsonObject> {
    const id = `${type.group}/${type.plural}`;
    let store = this.stores.get(id);
    if (!store) this.stores.set(id, (store = new Map<string, JsonObject>()));
    return store;
  }
}

/**
 * A private copy of a stored object, as a client gets from the wire. Objects here are JSON, and a
 * JSON round trip copies them several times faster than structuredClone, which lists of thousands
 * of pods feel.
 */
function copyOf<T>(object: T): T {
  return JSON.parse(JSON.stringify(object)) as T;
}

function storeKey(type: ResourceType, key: ObjectKey): string {
  return type.namespaced ? `${key.namespace ?? ''}/${key.name}` : key.name;
}

const NOT_READY_TAINT = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };

/**
 * The apiserver's TaintNodesByCondition admission taints every new Node not-ready; the node
 * lifecycle controller removes the taint once the kubelet reports Ready.
 */
function withNotReadyTaint(node: JsonObject): void {
  const spec = { ...(node['spec'] as JsonObject | undefined) };
  const taints = (spec['taints'] as { key?: string }[] | undefined) ?? [];
  if (!taints.some((taint) => taint.key === NOT_READY_TAINT.key))
    spec['taints'] = [...taints, NOT_READY_TAINT];
  node['spec'] = spec;
}

/** Cluster-scoped objects have no namespace, whatever the request said. */
function withoutNamespace({ namespace: _namespace, ...meta }: WireMeta): WireMeta {
  return meta;
}

function resourceName(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

function invalid(type: ResourceType, detail: string): KubeApiError {
  return KubeApiError.fromStatus(422, `${type.kind} is invalid: ${detail}`);
}

/**
 * A bound, still-running pod is deleted gracefully: the kubelet finishes it after the grace
 * period. Any other object, and a pod no kubelet runs, goes at once (finalizers permitting).
 */
function podGraceSeconds(
  type: ResourceType,
  object: JsonObject,
  requested: number | undefined,
): number {
  if (type.plural !== 'pods' || !fieldValue(object, 'spec.nodeName')) return 0;
  if (['Succeeded', 'Failed'].includes(fieldValue(object, 'status.phase'))) return 0;
  if (requested !== undefined) return requested;
  const configured = fieldValue(object, 'spec.terminationGracePeriodSeconds');
  return configured === '' ? DEFAULT_POD_GRACE_SECONDS : Number(configured);
}
