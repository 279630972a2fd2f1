import { describe, expect, it } from 'vitest';
import {
  CachedSecret,
  handleWebhook,
  ProvisioningSignalSchema,
  WebhookMetrics,
  type SignalMessage,
  type WebhookDeps,
  type WebhookMetric,
} from '../../../lib/webhook/index.ts';
import { functionUrlEvent, podCreateReview } from '../../fixtures/lambda-events.ts';
import { clockReading } from '../../fixtures/manual-clock.ts';

const SECRET = 'Zq3x9Lw2Pp7Tt5Rr1Mm8Nn4Kk6Jj0Hh2Gg';
const NOW = Date.parse('2026-11-27T18:00:00.250Z');

function environment(options: { failSignals?: boolean } = {}) {
  const sent: SignalMessage[] = [];
  const counted: WebhookMetric[] = [];
  const deps: WebhookDeps = {
    clusterName: 'prod-1',
    secret: new CachedSecret(
      () => Promise.resolve(SECRET),
      60_000,
      clockReading(() => NOW),
    ),
    sendSignal: (message) => {
      if (options.failSignals) return Promise.reject(new Error('SQS unavailable'));
      sent.push(message);
      return Promise.resolve();
    },
    clock: clockReading(() => NOW),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    count: (metric) => counted.push(metric),
  };
  return { deps, sent, counted };
}

function post(body: unknown, path = `/${SECRET}/pods`) {
  return functionUrlEvent({
    rawPath: path,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('handleWebhook', () => {
  it('allows a Pod CREATE with the request uid, no patch, and signals the cluster’s queue group', async () => {
    // Prepare
    const { deps, sent } = environment();

    // Act
    const response = await handleWebhook(post(podCreateReview()), deps);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true },
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      groupId: 'prod-1',
      deduplicationId: `prod-1-${Math.floor(NOW / 1000)}`,
    });
    expect(ProvisioningSignalSchema.parse(JSON.parse(sent[0]?.body ?? ''))).toEqual({
      cluster: 'prod-1',
      reason: 'pod shop/web-7d9f-*',
      signalledAt: '2026-11-27T18:00:00.250Z',
    });
  });

  it('reads a base64-encoded body', async () => {
    // Prepare
    const { deps, sent } = environment();
    const event = functionUrlEvent({
      rawPath: `/${SECRET}/pods`,
      body: Buffer.from(JSON.stringify(podCreateReview())).toString('base64'),
      isBase64Encoded: true,
    });

    // Act
    const response = await handleWebhook(event, deps);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(sent).toHaveLength(1);
  });

  it.each([
    ['a dry run', { dryRun: true }],
    [
      'an already bound Pod',
      { object: { metadata: { name: 'static' }, spec: { nodeName: 'node-1' } } },
    ],
    ['an UPDATE', { operation: 'UPDATE' }],
    ['another kind', { kind: { group: 'apps', version: 'v1', kind: 'Deployment' } }],
  ])('allows %s without signalling', async (_, request) => {
    // Prepare
    const { deps, sent } = environment();

    // Act
    const response = await handleWebhook(post(podCreateReview(request)), deps);

    // Assess
    expect(JSON.parse(response.body).response).toEqual({
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      allowed: true,
    });
    expect(sent).toEqual([]);
  });

  it('still allows the Pod when the signal cannot be sent', async () => {
    // Prepare
    const { deps, counted } = environment({ failSignals: true });

    // Act
    const response = await handleWebhook(post(podCreateReview()), deps);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body).response.allowed).toBe(true);
    expect(counted).toContain(WebhookMetrics.signalFailures);
  });

  it('signals a ping with its reason, and answers 503 when the signal fails', async () => {
    // Prepare
    const { deps, sent } = environment();
    const failing = environment({ failSignals: true });

    // Act
    const response = await handleWebhook(post({ reason: 'nodepool edited' }), deps);
    const failed = await handleWebhook(post({ reason: 'nodepool edited' }), failing.deps);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(sent[0]?.body ?? '').reason).toBe('nodepool edited');
    expect(failed.statusCode).toBe(503);
  });

  it.each([
    ['no secret', '/pods'],
    ['an empty path', '/'],
    ['a wrong secret', `/${SECRET.slice(0, -1)}X/pods`],
    ['a longer secret', `/${SECRET}0/pods`],
  ])('answers 401 to %s and signals nothing', async (_, path) => {
    // Prepare
    const { deps, sent, counted } = environment();

    // Act
    const response = await handleWebhook(post(podCreateReview(), path), deps);

    // Assess
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body)).toEqual({ message: 'missing or wrong secret' });
    expect(sent).toEqual([]);
    expect(counted).toEqual([WebhookMetrics.rejected]);
  });

  it('answers 404 to another route, after the secret', async () => {
    // Prepare
    const { deps, sent } = environment();

    // Act
    const response = await handleWebhook(post(podCreateReview(), `/${SECRET}/nodes`), deps);

    // Assess
    expect(response.statusCode).toBe(404);
    expect(sent).toEqual([]);
  });

  it.each([
    ['no body', undefined, 'body: required'],
    ['a body that is not JSON', '{"apiVersion":', 'body: not JSON'],
    ['a JSON array', '[]', 'body: must be a JSON object'],
    ['a review without uid', podCreateReview({ uid: undefined }), 'request.uid: '],
    [
      'a review of the wrong version',
      { ...podCreateReview(), apiVersion: 'admission.k8s.io/v1beta1' },
      'apiVersion: ',
    ],
    [
      'a review with an unknown operation',
      podCreateReview({ operation: 'PATCH' }),
      'request.operation: ',
    ],
    ['a ping without reason', { why: 'x' }, 'reason: '],
    ['a ping with an empty reason', { reason: '' }, 'reason: '],
  ])('answers 400 to %s, naming the field, and signals nothing', async (_, body, reason) => {
    // Prepare
    const { deps, sent } = environment();
    const event =
      body === undefined ? functionUrlEvent({ rawPath: `/${SECRET}/pods` }) : post(body);

    // Act
    const response = await handleWebhook(event, deps);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).message).toContain(reason);
    expect(sent).toEqual([]);
  });

  it('answers 400 to an event that is not a Function URL request', async () => {
    // Prepare
    const { deps } = environment();

    // Act
    const response = await handleWebhook({ Records: [] }, deps);

    // Assess
    expect(response.statusCode).toBe(400);
  });

  it('refuses a body with a __proto__ key instead of letting it supply dryRun or nodeName', async () => {
    // Prepare: the own fields are absent; the __proto__ objects would supply them when copied
    const { deps, sent } = environment();
    const review = JSON.stringify(podCreateReview({ dryRun: undefined }));
    const bodies = [
      review.replace('"uid"', '"__proto__":{"dryRun":true},"uid"'),
      review.replace('"spec":{', '"spec":{"__proto__":{"nodeName":"node-a"},'),
    ];

    // Act
    const responses = await Promise.all(bodies.map((body) => handleWebhook(post(body), deps)));

    // Assess
    expect(bodies.every((body) => body.includes('__proto__'))).toBe(true);
    for (const response of responses) {
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body).message).toBe('body: a "__proto__" key is not allowed');
    }
    expect(sent).toEqual([]);
  });

  it('answers 503 while the secret cannot be read, reporting the failure once and reading once', async () => {
    // Prepare
    let reads = 0;
    const reported: unknown[] = [];
    const { deps, counted } = environment();
    const failing: WebhookDeps = {
      ...deps,
      secret: new CachedSecret(
        () => {
          reads += 1;
          return Promise.reject(new Error('AccessDeniedException'));
        },
        60_000,
        clockReading(() => NOW),
        (error) => reported.push(error),
      ),
    };

    // Act
    const responses = [];
    for (let request = 0; request < 5; request++)
      responses.push(await handleWebhook(post(podCreateReview()), failing));

    // Assess
    expect(responses.map(({ statusCode }) => statusCode)).toEqual([503, 503, 503, 503, 503]);
    expect(reads).toBe(1);
    expect(reported.map(String)).toEqual(['Error: AccessDeniedException']);
    expect(counted.filter((metric) => metric === WebhookMetrics.rejected)).toHaveLength(5);
  });
});
