import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  LAMBDA_EXIT_MARGIN_MS,
  provisioningDeps,
} from '../../../functions/provisioner/provisioning-deps.ts';
import { lambdaContext } from '../../fixtures/lambda-events.ts';

const ENVIRONMENT = {
  CLUSTER_NAME: 'prod-1',
  CLUSTER_ENDPOINT: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
  CLUSTER_CA_DATA: 'Q0EtREFUQQ==',
  KUBERNETES_VERSION: '1.34',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
};

describe('provisioningDeps', () => {
  it('ends the run before Lambda’s deadline and holds the Lease as the request', () => {
    // Prepare
    const context = lambdaContext({ requestId: 'request-7', remainingMs: 90_000 }) as Context;
    const before = Date.now();

    // Act
    const deps = provisioningDeps(context, ENVIRONMENT);

    // Assess
    expect(deps.runId).toBe('request-7');
    expect(deps.deadline).toBeGreaterThanOrEqual(before + 90_000 - LAMBDA_EXIT_MARGIN_MS);
    expect(deps.deadline).toBeLessThanOrEqual(Date.now() + 90_000 - LAMBDA_EXIT_MARGIN_MS);
    expect(deps.kube.runLock('request-7').lock.key).toEqual({
      name: 'skyscale-prod-1',
      namespace: 'kube-system',
    });
  });
});
