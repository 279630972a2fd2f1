import { z } from 'zod';

const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

/** The parts of the Pod under review the webhook looks at; everything else passes through unread. */
const ReviewedPodSchema = z.looseObject({
  metadata: z
    .looseObject({
      name: z.string().optional(),
      generateName: z.string().optional(),
      namespace: z.string().optional(),
    })
    .optional(),
  spec: z.looseObject({ nodeName: z.string().optional() }).optional(),
});

/**
 * An admission.k8s.io/v1 AdmissionReview as the apiserver sends it to a mutating webhook.
 *
 * @example
 * { "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
 *   "request": { "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
 *     "kind": { "group": "", "version": "v1", "kind": "Pod" },
 *     "resource": { "group": "", "version": "v1", "resource": "pods" },
 *     "operation": "CREATE", "namespace": "default", "dryRun": false,
 *     "object": { "metadata": { "generateName": "web-" }, "spec": { … } } } }
 */
export const AdmissionReviewSchema = z.looseObject({
  apiVersion: z.literal(ADMISSION_API_VERSION),
  kind: z.literal('AdmissionReview'),
  request: z.looseObject({
    uid: z.string().min(1),
    kind: z.looseObject({ group: z.string(), version: z.string(), kind: z.string() }),
    operation: z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']),
    namespace: z.string().optional(),
    dryRun: z.boolean().optional(),
    object: ReviewedPodSchema.nullish(),
  }),
});
export type AdmissionReview = z.infer<typeof AdmissionReviewSchema>;

/** The answer: always allowed, never a patch, so the webhook cannot block or change a Pod. */
export function allowedResponse(uid: string) {
  return {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'AdmissionReview',
    response: { uid, allowed: true },
  } as const;
}

/**
 * Whether the review announces a Pod that may go pending: a real (not dry-run) CREATE of a Pod
 * that is not already bound to a node.
 */
export function announcesPendingPod({ request }: AdmissionReview): boolean {
  return (
    request.operation === 'CREATE' &&
    request.kind.group === '' &&
    request.kind.kind === 'Pod' &&
    request.dryRun !== true &&
    request.object?.spec?.nodeName === undefined
  );
}

/** `namespace/name` (or `namespace/generateName*`) of the reviewed Pod, for logs and signals. */
export function reviewedPod({ request }: AdmissionReview): string {
  const metadata = request.object?.metadata;
  const namespace = request.namespace ?? metadata?.namespace ?? '';
  const name = metadata?.name ?? `${metadata?.generateName ?? ''}*`;
  return `${namespace}/${name}`;
}
