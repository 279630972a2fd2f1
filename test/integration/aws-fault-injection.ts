/**
 * Fault injection for the REAL AWS SDK v3 clients used against moto. Moto does not emulate some
 * EC2/SSM behaviours (capacity errors, throttling, ClientToken idempotency, EKS public SSM
 * parameters); an interceptor added to the client's middleware stack stands in for those calls
 * only, and every other call still goes to moto.
 */
import { EC2ServiceException, type EC2Client } from '@aws-sdk/client-ec2';
import type { PricingClient } from '@aws-sdk/client-pricing';
import type { SSMClient } from '@aws-sdk/client-ssm';

/** Decides one call: answer it itself (return or throw), or `send` it to moto and pass the output on. */
export type Interceptor = (
  command: string,
  input: Record<string, unknown>,
  send: () => Promise<unknown>,
) => Promise<unknown>;

type Stack = EC2Client['middlewareStack'];

export function intercept(
  client: EC2Client | SSMClient | PricingClient,
  interceptor: Interceptor,
): void {
  (client.middlewareStack as Stack).add(
    (next, context) => async (args) => {
      let sent: { output: unknown; response: unknown } | undefined;
      const command = String(context.commandName ?? '').replace(/Command$/, '');
      const output = await interceptor(command, args.input as Record<string, unknown>, async () => {
        sent = await next(args);
        return sent.output;
      });
      return { response: sent?.response ?? {}, output: output as never };
    },
    { step: 'initialize', name: 'skyscaleFaultInjection' },
  );
}

/**
 * Moto ignores ClientToken; this answers CreateFleet as EC2 does: a token seen before with the
 * same parameters gets the first answer, with other parameters IdempotentParameterMismatch.
 * `earlier` holds tokens an earlier call used, with that call's parameters.
 */
export function emulatedClientTokens(earlier: Record<string, string> = {}): Interceptor {
  const requests = new Map(Object.entries(earlier));
  const answers = new Map<string, unknown>();
  return async (command, input, send) => {
    if (command !== 'CreateFleet') return send();
    const { ClientToken: token, ...parameters } = input;
    const key = String(token);
    const seen = requests.get(key);
    if (seen !== undefined && seen !== JSON.stringify(parameters)) {
      throw new EC2ServiceException({
        name: 'IdempotentParameterMismatch',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      });
    }
    requests.set(key, JSON.stringify(parameters));
    if (!answers.has(key)) answers.set(key, await send());
    return answers.get(key);
  };
}
