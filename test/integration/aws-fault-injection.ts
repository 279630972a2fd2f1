/**
 * Fault injection for the REAL AWS SDK v3 clients used against moto. Moto does not emulate some
 * EC2/SSM behaviours (capacity errors, throttling, ClientToken idempotency, EKS public SSM
 * parameters); an interceptor added to the client's middleware stack stands in for those calls
 * only, and every other call still goes to moto.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
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
