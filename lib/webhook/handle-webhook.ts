import type { Clock } from '../util/clock.ts';
import { allowedResponse, announcesPendingPod, reviewedPod } from './admission-review.ts';
import { WebhookMetrics } from './constants.ts';
import { signalMessage, type SignalMessage } from './provisioning-signal.ts';
import type { CachedSecret } from './webhook-secret.ts';
import {
  isWebhookRoute,
  parseWebhookBody,
  splitPath,
  WebhookBodyError,
  WebhookEventSchema,
} from './webhook-request.ts';

/** Powertools' Logger satisfies it. */
export interface WebhookLogger {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

export type WebhookMetric = (typeof WebhookMetrics)[keyof typeof WebhookMetrics];

export interface WebhookDeps {
  readonly clusterName: string;
  readonly secret: CachedSecret;
  /** Sends one message to the provisioning FIFO queue. */
  readonly sendSignal: (message: SignalMessage) => Promise<void>;
  readonly clock: Clock;
  readonly logger: WebhookLogger;
  readonly count: (metric: WebhookMetric) => void;
}

/** A Function URL response. */
export interface WebhookResponse {
  readonly statusCode: number;
  readonly headers: { readonly 'content-type': 'application/json' };
  readonly body: string;
}

function respond(statusCode: number, body: unknown): WebhookResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

function reject(deps: WebhookDeps, statusCode: number, message: string): WebhookResponse {
  deps.count(WebhookMetrics.rejected);
  deps.logger.warn('Webhook request rejected', { statusCode, reason: message });
  return respond(statusCode, { message });
}

/** Sends the debounce signal; true when SQS took it (or deduplicated it). */
async function signal(deps: WebhookDeps, reason: string): Promise<boolean> {
  try {
    await deps.sendSignal(signalMessage(deps.clusterName, reason, deps.clock.now()));
    deps.count(WebhookMetrics.signalsSent);
    return true;
  } catch (error) {
    deps.count(WebhookMetrics.signalFailures);
    deps.logger.error('Provisioning signal not sent', { reason, error });
    return false;
  }
}

/**
 * One webhook call: authenticate by the secret in the path (401, or 503 while it cannot be
 * read), check the route (404), parse the body (400), then signal the provisioner. An AdmissionReview is always answered
 * `allowed: true` without a patch, even when the signal fails: the webhook must never block or
 * change Pod creation, and the scheduled provisioning pass catches up with a lost signal.
 */
export async function handleWebhook(event: unknown, deps: WebhookDeps): Promise<WebhookResponse> {
  const parsedEvent = WebhookEventSchema.safeParse(event);
  if (!parsedEvent.success) return reject(deps, 400, 'not a Lambda Function URL request');
  const { secret, route } = splitPath(parsedEvent.data.rawPath);
  let authenticated: boolean;
  try {
    authenticated = await deps.secret.matches(secret);
  } catch {
    // CachedSecret has reported the failed read once; every request meanwhile is only counted.
    deps.count(WebhookMetrics.rejected);
    return respond(503, { message: 'the webhook secret cannot be read; try again later' });
  }
  if (!authenticated) return reject(deps, 401, 'missing or wrong secret');
  if (!isWebhookRoute(route)) return reject(deps, 404, `no route "/${route}"`);

  let body;
  try {
    body = parseWebhookBody(parsedEvent.data);
  } catch (error) {
    if (error instanceof WebhookBodyError) return reject(deps, 400, error.message);
    throw error;
  }

  if (body.kind === 'ping') {
    deps.count(WebhookMetrics.pings);
    const sent = await signal(deps, body.ping.reason);
    return sent ? respond(200, { signalled: true }) : respond(503, { message: 'signal not sent' });
  }
  deps.count(WebhookMetrics.admissionReviews);
  if (announcesPendingPod(body.review)) await signal(deps, `pod ${reviewedPod(body.review)}`);
  return respond(200, allowedResponse(body.review.request.uid));
}
