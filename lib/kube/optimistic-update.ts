import { KubeApiError, isKubeError } from './errors.ts';
import { createMergePatch } from './merge-patch.ts';
import type { JsonObject } from './transport.ts';

/**
 * Computes the desired object from the current one. It receives a private copy, so changing it in
 * place and returning it is fine. Returning undefined means "nothing to do".
 */
export type Mutation<T> = (current: T) => T | undefined;

/** Which part of the object a write may change: the object itself (not status) or its status subresource. */
export type WriteTarget = 'object' | 'status';

export const DEFAULT_UPDATE_ATTEMPTS = 5;

export interface OptimisticUpdate<T extends JsonObject> {
  readonly read: () => Promise<T>;
  readonly write: (patch: JsonObject) => Promise<T>;
  readonly mutate: Mutation<T>;
  readonly target: WriteTarget;
  /** The object as the caller last saw it: the first attempt starts from it instead of reading. */
  readonly known?: T | undefined;
  readonly maxAttempts?: number;
}

function patchFor(current: JsonObject, desired: JsonObject, target: WriteTarget): JsonObject {
  const { status, ...changes } = createMergePatch(current, desired);
  if (target === 'object') return changes;
  return status === undefined ? {} : { status };
}

/**
 * Read → mutate → merge-patch with the read's resourceVersion as a precondition. A Conflict means
 * someone wrote in between (or `known` was stale): read again and re-apply the mutation, up to
 * `maxAttempts` times.
 * Returns the object as stored after the write (or as read, when there was nothing to change).
 */
export async function updateWithRetry<T extends JsonObject>(
  update: OptimisticUpdate<T>,
): Promise<T> {
  const maxAttempts = update.maxAttempts ?? DEFAULT_UPDATE_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    const current = attempt === 1 && update.known ? update.known : await update.read();
    const desired = update.mutate(structuredClone(current));
    if (desired === undefined) return current;
    const patch = patchFor(current, desired, update.target);
    if (Object.keys(patch).length === 0) return current;
    const metadata = (current['metadata'] ?? {}) as { resourceVersion?: string };
    const patchMetadata = (patch['metadata'] ?? {}) as JsonObject;
    try {
      return await update.write({
        ...patch,
        metadata: { ...patchMetadata, resourceVersion: metadata.resourceVersion },
      });
    } catch (error) {
      if (!isKubeError(error, 'Conflict')) throw error;
      if (attempt >= maxAttempts) {
        throw new KubeApiError(
          409,
          'Conflict',
          `Still conflicting after ${maxAttempts} attempts: ${error.message}`,
          { cause: error },
        );
      }
    }
  }
}
