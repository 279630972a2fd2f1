import { z } from 'zod';
import {
  type JsonObject,
  ResourceTypes,
  type ResourceTransport,
  type ResourceType,
  DEFAULT_PAGE_SIZE,
} from '../../kube/index.ts';

/** The Lease Karpenter's controller-runtime leader election holds, in the controller's namespace. */
export const KARPENTER_LEASE_NAME = 'karpenter-leader-election';
/** The image of Karpenter's controller, whatever registry or tag it comes from. */
const KARPENTER_IMAGE = /(^|\/)karpenter\/controller([:@]|$)/;
const KARPENTER_NAME_LABEL = 'app.kubernetes.io/name';

/** A sign that a Karpenter controller is running: a Deployment with replicas, or a held Lease. */
export interface KarpenterSighting {
  readonly kind: 'Deployment' | 'Lease';
  readonly namespace: string;
  readonly name: string;
  /** E.g. `2 replicas` or `held by karpenter-5d8f-abc until 12:00:15Z`. */
  readonly detail: string;
}

const DeploymentSchema = z.looseObject({
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string(),
    labels: z.record(z.string(), z.string()).optional(),
  }),
  spec: z
    .looseObject({
      replicas: z.number().optional(),
      template: z
        .looseObject({
          spec: z
            .looseObject({ containers: z.array(z.looseObject({ image: z.string().optional() })) })
            .optional(),
        })
        .optional(),
    })
    .optional(),
  status: z.looseObject({ replicas: z.number().optional() }).optional(),
});

const LeaseSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.string() }),
  spec: z
    .looseObject({
      holderIdentity: z.string().nullish(),
      renewTime: z.string().nullish(),
      leaseDurationSeconds: z.number().nullish(),
    })
    .optional(),
});

async function listAll(
  transport: ResourceTransport,
  type: ResourceType,
  fieldSelector?: Record<string, string>,
): Promise<JsonObject[]> {
  const objects: JsonObject[] = [];
  let token: string | undefined;
  do {
    const page = await transport.list(type, {
      limit: DEFAULT_PAGE_SIZE,
      continue: token,
      fieldSelector,
    });
    objects.push(...page.items);
    token = page.continue;
  } while (token);
  return objects;
}

function isKarpenterDeployment(deployment: z.output<typeof DeploymentSchema>): boolean {
  const images = (deployment.spec?.template?.spec?.containers ?? []).map(
    ({ image }) => image ?? '',
  );
  return (
    deployment.metadata.labels?.[KARPENTER_NAME_LABEL] === 'karpenter' ||
    images.some((image) => KARPENTER_IMAGE.test(image))
  );
}

function deploymentSighting(object: JsonObject): KarpenterSighting | undefined {
  const parsed = DeploymentSchema.safeParse(object);
  if (!parsed.success || !isKarpenterDeployment(parsed.data)) return undefined;
  const { metadata, spec, status } = parsed.data;
  // Absent replicas default to 1; pods still terminating after a scale-down count too.
  const wanted = spec?.replicas ?? 1;
  const existing = status?.replicas ?? 0;
  if (wanted === 0 && existing === 0) return undefined;
  return {
    kind: 'Deployment',
    namespace: metadata.namespace,
    name: metadata.name,
    detail: `${wanted} replica(s) wanted, ${existing} running`,
  };
}

function leaseSighting(object: JsonObject, now: Date): KarpenterSighting | undefined {
  const parsed = LeaseSchema.safeParse(object);
  if (!parsed.success) return undefined;
  const { holderIdentity, renewTime, leaseDurationSeconds } = parsed.data.spec ?? {};
  if (!holderIdentity || !renewTime) return undefined;
  const expires = new Date(Date.parse(renewTime) + (leaseDurationSeconds ?? 0) * 1000);
  if (!(expires > now)) return undefined;
  return {
    kind: 'Lease',
    namespace: parsed.data.metadata.namespace,
    name: parsed.data.metadata.name,
    detail: `held by ${holderIdentity} until ${expires.toISOString()}`,
  };
}

/** Every running Karpenter controller's Deployment and held leader-election Lease, in any namespace. */
export async function findRunningKarpenter(
  transport: ResourceTransport,
  now: Date,
): Promise<KarpenterSighting[]> {
  const [deployments, leases] = await Promise.all([
    listAll(transport, ResourceTypes.deployment),
    listAll(transport, ResourceTypes.lease, { 'metadata.name': KARPENTER_LEASE_NAME }),
  ]);
  return [
    ...deployments.flatMap((object) => deploymentSighting(object) ?? []),
    ...leases.flatMap((object) => leaseSighting(object, now) ?? []),
  ];
}

/** Scales each sighted Deployment to zero replicas; Karpenter releases its Lease as it stops. */
export async function scaleKarpenterToZero(
  transport: ResourceTransport,
  sightings: readonly KarpenterSighting[],
): Promise<void> {
  for (const { kind, namespace, name } of sightings) {
    if (kind === 'Deployment')
      await transport.patch(
        ResourceTypes.deployment,
        { namespace, name },
        { spec: { replicas: 0 } },
      );
  }
}

export function describeSighting({ kind, namespace, name, detail }: KarpenterSighting): string {
  return `${kind} ${namespace}/${name} (${detail})`;
}
