import { LambdaFunctionUrlSchema } from '@aws-lambda-powertools/parser/schemas/lambda';
import { z } from 'zod';
import { formatZodIssues } from '../apis/zod-issues.ts';
import { AdmissionReviewSchema, type AdmissionReview } from './admission-review.ts';
import { WEBHOOK_ROUTE } from './constants.ts';

/** A manual nudge, e.g. `curl -d '{"reason":"nodepool edited"}' https://…/<secret>/pods`. */
export const PingSchema = z.strictObject({ reason: z.string().min(1).max(256) });
export type Ping = z.infer<typeof PingSchema>;

/** The parts of a Function URL event the webhook reads. */
export const WebhookEventSchema = LambdaFunctionUrlSchema.pick({
  rawPath: true,
  body: true,
  isBase64Encoded: true,
});
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

export type WebhookBody =
  | { readonly kind: 'admission'; readonly review: AdmissionReview }
  | { readonly kind: 'ping'; readonly ping: Ping };

/** A request the webhook refuses with 400; the message names the offending field. */
export class WebhookBodyError extends Error {
  override readonly name = 'WebhookBodyError';
}

/** The secret and route in `/<secret>/pods`; missing segments are empty strings. */
export function splitPath(rawPath: string): { secret: string; route: string } {
  const [secret = '', ...route] = rawPath.replace(/^\/+/, '').split('/');
  return { secret, route: route.join('/') };
}

export function isWebhookRoute(route: string): boolean {
  return route === WEBHOOK_ROUTE;
}

/**
 * JSON.parse keeps a `__proto__` key as an own property, but schemas copy properties by
 * assignment, which would make it the prototype of the parsed object and let the body supply
 * fields (`dryRun`, `nodeName`) it does not carry. No review has such a key.
 */
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new WebhookBodyError('body: a "__proto__" key is not allowed');
  return value;
}

/**
 * Parses the body as an AdmissionReview (anything carrying `apiVersion` or `kind`) or else as a
 * ping. Throws WebhookBodyError naming the field.
 */
export function parseWebhookBody(event: WebhookEvent): WebhookBody {
  if (event.body === undefined || event.body === '') throw new WebhookBodyError('body: required');
  const text = event.isBase64Encoded
    ? Buffer.from(event.body, 'base64').toString('utf8')
    : event.body;
  let json: unknown;
  try {
    json = JSON.parse(text, refusePrototypeKeys);
  } catch (error) {
    if (error instanceof WebhookBodyError) throw error;
    throw new WebhookBodyError(`body: not JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new WebhookBodyError('body: must be a JSON object');
  }
  if ('apiVersion' in json || 'kind' in json) {
    const review = AdmissionReviewSchema.safeParse(json);
    if (!review.success) throw new WebhookBodyError(formatZodIssues(review.error).join('; '));
    return { kind: 'admission', review: review.data };
  }
  const ping = PingSchema.safeParse(json);
  if (!ping.success) throw new WebhookBodyError(formatZodIssues(ping.error).join('; '));
  return { kind: 'ping', ping: ping.data };
}
