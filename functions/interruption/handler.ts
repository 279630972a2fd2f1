/** The interruption function: EC2 and AWS Health events from the interruption queue, a batch per run. */
import { SQSClient } from '@aws-sdk/client-sqs';
import { runInterruption } from '../../lib/interruption/index.ts';
import { provisioningDeps } from '../provisioner/provisioning-deps.ts';
import { sendProvisioningSignal, signalTarget } from '../shared/provisioning-signals.ts';
import { interruptionHandler } from './interruption-handler.ts';

const sqs = new SQSClient({});
const target = signalTarget(process.env, 'interruption');

export const handler = interruptionHandler((context, messages) =>
  runInterruption(
    {
      ...provisioningDeps(context, process.env),
      requestProvisioning: (reason) => sendProvisioningSignal(sqs, target, reason),
    },
    messages,
  ),
);
