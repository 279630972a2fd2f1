import { describe, expect, it } from 'vitest';
import { webhookSettings } from '../../../functions/pod-pending/webhook-environment.ts';

const BASE = {
  CLUSTER_NAME: 'prod-1',
  PROVISIONING_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/signals.fifo',
};

describe('webhookSettings', () => {
  it('reads the secret from Secrets Manager when given its ARN', () => {
    // Act
    const settings = webhookSettings({
      ...BASE,
      WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s',
    });

    // Assess
    expect(settings).toEqual({
      clusterName: 'prod-1',
      signalQueueUrl: BASE.PROVISIONING_QUEUE_URL,
      secret: {
        store: 'secrets-manager',
        secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s',
      },
    });
  });

  it('reads the secret from SSM when given a parameter name', () => {
    // Act
    const settings = webhookSettings({ ...BASE, WEBHOOK_SECRET_PARAMETER: '/skyscale/webhook' });

    // Assess
    expect(settings.secret).toEqual({ store: 'ssm', parameterName: '/skyscale/webhook' });
  });

  it.each([
    [
      { ...BASE },
      /WEBHOOK_SECRET_ARN: set exactly one of WEBHOOK_SECRET_ARN and WEBHOOK_SECRET_PARAMETER/,
    ],
    [{ ...BASE, WEBHOOK_SECRET_ARN: 'a', WEBHOOK_SECRET_PARAMETER: 'b' }, /set exactly one of/],
    [{ ...BASE, CLUSTER_NAME: undefined, WEBHOOK_SECRET_ARN: 'a' }, /CLUSTER_NAME: /],
    [
      { ...BASE, PROVISIONING_QUEUE_URL: 'signals.fifo', WEBHOOK_SECRET_ARN: 'a' },
      /PROVISIONING_QUEUE_URL: /,
    ],
  ])('names the bad variable in %j', (environment, message) => {
    // Act
    const read = () => webhookSettings(environment);

    // Assess
    expect(read).toThrow(message);
  });
});
