import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/** Where the webhook's shared secret is kept. */
export type SecretLocation =
  | { readonly store: 'secrets-manager'; readonly secretId: string }
  | { readonly store: 'ssm'; readonly parameterName: string };

export class SecretNotFoundError extends Error {
  override readonly name = 'SecretNotFoundError';
}

/** The apiserver waits only the webhook's timeout (5 s): a read gets one quick retry at most. */
export const SECRET_READ_TIMEOUT_MS = 1_500;

/** Where the clients connect; the default is the Lambda's region and role. */
export interface SecretClientConfig {
  readonly endpoint?: string;
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Reads the secret's current value; the caller validates and caches it. */
export function webhookSecretReader(
  location: SecretLocation,
  connection: SecretClientConfig = {},
): () => Promise<string> {
  const config = {
    ...connection,
    maxAttempts: 2,
    requestHandler: { requestTimeout: SECRET_READ_TIMEOUT_MS, throwOnRequestTimeout: true },
  };
  if (location.store === 'secrets-manager') {
    const client = new SecretsManagerClient(config);
    return async () => {
      const { SecretString } = await client.send(
        new GetSecretValueCommand({ SecretId: location.secretId }),
      );
      if (SecretString === undefined) {
        throw new SecretNotFoundError(`secret ${location.secretId} has no string value`);
      }
      return SecretString;
    };
  }
  const client = new SSMClient(config);
  return async () => {
    const { Parameter } = await client.send(
      new GetParameterCommand({ Name: location.parameterName, WithDecryption: true }),
    );
    if (Parameter?.Value === undefined) {
      throw new SecretNotFoundError(`parameter ${location.parameterName} has no value`);
    }
    return Parameter.Value;
  };
}
