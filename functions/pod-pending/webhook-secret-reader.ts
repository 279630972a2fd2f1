import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

/** Where the webhook's shared secret is kept. */
export type SecretLocation =
  | { readonly store: 'secrets-manager'; readonly secretId: string }
  | { readonly store: 'ssm'; readonly parameterName: string };

export class SecretNotFoundError extends Error {
  override readonly name = 'SecretNotFoundError';
}

/** Reads the secret's current value; the caller validates and caches it. */
export function webhookSecretReader(location: SecretLocation): () => Promise<string> {
  if (location.store === 'secrets-manager') {
    const client = new SecretsManagerClient({});
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
  const client = new SSMClient({});
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
