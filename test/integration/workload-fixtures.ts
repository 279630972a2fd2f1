/**
 * The workloads the integration tests run on KWOK nodes: Deployments of pause containers and
 * the query for the pods of one that are up.
 */
import type {
  CoreV1Api,
  V1Container,
  V1Deployment,
  V1Pod,
  V1PodSpec,
} from '@kubernetes/client-node';
import { POOL_LABEL } from './provisioning-fixtures.ts';

/** A container that does nothing, requesting `requests`. */
export function pauseContainer(name: string, requests: Record<string, string>): V1Container {
  return { name, image: 'registry.k8s.io/pause:3.10', resources: { requests } };
}

/** The pod spec fields that put a pod on a test pool's nodes: its label, and its taint tolerated. */
export function onPool(pool: string): Pick<V1PodSpec, 'nodeSelector' | 'tolerations'> {
  return {
    nodeSelector: { [POOL_LABEL]: pool },
    tolerations: [{ key: POOL_LABEL, operator: 'Exists', effect: 'NoSchedule' }],
  };
}

/** A Deployment of `replicas` pods of `spec`, selected by the label `app: <name>`. */
export function deploymentOf(name: string, replicas: number, spec: V1PodSpec): V1Deployment {
  const labels = { app: name };
  return {
    metadata: { name },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec } },
  };
}

/** The pods labelled `app: <app>` that are up: Ready, and not being deleted. */
export async function upPods(core: CoreV1Api, namespace: string, app: string): Promise<V1Pod[]> {
  const { items } = await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` });
  return items.filter(
    (pod) =>
      pod.metadata?.deletionTimestamp === undefined &&
      (pod.status?.conditions ?? []).some(
        ({ type, status }) => type === 'Ready' && status === 'True',
      ),
  );
}
