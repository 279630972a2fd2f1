import { ApiException } from '@kubernetes/client-node';
import { z } from 'zod';
import { KubeApiError } from '../errors.ts';

/** The fields of a metav1.Status error body that tell errors apart. */
const StatusBodySchema = z.looseObject({
  reason: z.string().optional(),
  message: z.string().optional(),
});

function statusBody(body: unknown): z.output<typeof StatusBodySchema> {
  if (typeof body !== 'string') return {};
  try {
    const parsed = StatusBodySchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Runs a client-node call, turning its ApiException into the adapter-neutral KubeApiError. */
export async function translatingErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    const { reason, message } = statusBody(error.body);
    throw KubeApiError.fromStatus(
      error.code,
      message ?? `HTTP ${error.code}: ${error.message}`,
      reason,
      { cause: error },
    );
  }
}
