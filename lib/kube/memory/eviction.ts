import { LabelSelectorSchema } from '../../apis/core/label-selector.ts';
import { compileSelector } from '../../scheduling/label-selector.ts';
import { KubeApiError } from '../errors.ts';
import { ResourceTypes } from '../resource-types.ts';
import type { JsonObject, ObjectKey, ResourceTransport } from '../transport.ts';
import { fieldValue, metaOf } from './object-meta.ts';

const PAGE = { limit: Number.MAX_SAFE_INTEGER };

/** Pods the apiserver evicts without consulting budgets: not running, or already terminating. */
function ignoresBudgets(pod: JsonObject): boolean {
  return (
    ['Pending', 'Succeeded', 'Failed'].includes(fieldValue(pod, 'status.phase')) ||
    Boolean(metaOf(pod).deletionTimestamp)
  );
}

function isReady(pod: JsonObject): boolean {
  const conditions =
    (pod['status'] as { conditions?: { type?: string; status?: string }[] } | undefined)
      ?.conditions ?? [];
  return conditions.some((condition) => condition.type === 'Ready' && condition.status === 'True');
}

/**
 * An unready pod does not count as healthy, so evicting it costs the budget nothing: always under
 * `unhealthyPodEvictionPolicy: AlwaysAllow`, and under the default policy while the budget is met.
 */
function evictableWhileUnready(budget: JsonObject): boolean {
  if (fieldValue(budget, 'spec.unhealthyPodEvictionPolicy') === 'AlwaysAllow') return true;
  const desired = Number(fieldValue(budget, 'status.desiredHealthy') || 0);
  return desired > 0 && Number(fieldValue(budget, 'status.currentHealthy') || 0) >= desired;
}

function selects(budget: JsonObject, pod: JsonObject): boolean {
  const spec = budget['spec'] as Record<string, unknown> | undefined;
  const parsed = LabelSelectorSchema.safeParse(spec?.['selector']);
  return parsed.success && compileSelector(parsed.data)(metaOf(pod).labels ?? {});
}

/**
 * The Eviction API's budget check, as the apiserver does it: at most one PodDisruptionBudget may
 * cover the pod; unless the pod is unready and evictable as such, a budget the disruption
 * controller has not observed yet, or with no disruptions allowed, refuses with 429; otherwise one
 * allowed disruption is spent and the pod is deleted.
 */
export async function evictThroughBudgets(
  transport: ResourceTransport,
  key: Required<ObjectKey>,
): Promise<void> {
  const pod = await transport.get(ResourceTypes.pod, key);
  if (!ignoresBudgets(pod)) {
    const { items } = await transport.list(ResourceTypes.podDisruptionBudget, {
      ...PAGE,
      namespace: key.namespace,
    });
    const budgets = items.filter((budget) => selects(budget, pod));
    if (budgets.length > 1) {
      throw KubeApiError.fromStatus(
        500,
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      );
    }
    const [budget] = budgets;
    const free = budget === undefined || (!isReady(pod) && evictableWhileUnready(budget));
    if (!free) await spendDisruption(transport, budget);
  }
  await transport.delete(ResourceTypes.pod, key);
}

async function spendDisruption(transport: ResourceTransport, budget: JsonObject): Promise<void> {
  const { name, namespace, generation, resourceVersion } = metaOf(budget);
  const observed = Number(fieldValue(budget, 'status.observedGeneration') || 0);
  const allowed = Number(fieldValue(budget, 'status.disruptionsAllowed') || 0);
  if (observed < (generation ?? 0) || allowed <= 0) {
    throw KubeApiError.fromStatus(
      429,
      `Cannot evict pod as it would violate the pod's disruption budget "${name}".`,
    );
  }
  const status = { ...(budget['status'] as JsonObject), disruptionsAllowed: allowed - 1 };
  await transport.patch(
    ResourceTypes.podDisruptionBudget,
    { name: name ?? '', namespace },
    { metadata: { resourceVersion }, status },
    'status',
  );
}
