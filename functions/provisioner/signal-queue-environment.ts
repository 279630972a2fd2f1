import { z } from 'zod';
import { formatZodIssues } from '../../lib/apis/index.ts';
import { KubeEnvironment } from '../../lib/kube/constants.ts';
import { ProvisionerEnvironment } from '../../lib/provisioning/constants.ts';
import {
  SignalTargetEnvironmentSchema,
  type SignalTarget,
} from '../shared/provisioning-signals.ts';

const SignalQueueEnvironmentSchema = SignalTargetEnvironmentSchema.extend({
  [ProvisionerEnvironment.deadLetterQueueUrl]: z.url({ protocol: /^https?$/ }),
});

export interface SignalQueueSettings extends SignalTarget {
  readonly deadLetterQueueUrl: string;
}

/** The provisioner's queues; a bad or missing variable is named in the error. */
export function signalQueueSettings(
  environment: Readonly<Record<string, string | undefined>>,
): SignalQueueSettings {
  const parsed = SignalQueueEnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw new Error(`Invalid provisioner environment: ${formatZodIssues(parsed.error).join('; ')}`);
  }
  return {
    clusterName: parsed.data[KubeEnvironment.clusterName],
    queueUrl: parsed.data[ProvisionerEnvironment.signalQueueUrl],
    deadLetterQueueUrl: parsed.data[ProvisionerEnvironment.deadLetterQueueUrl],
  };
}
