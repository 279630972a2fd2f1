import type { ResourceType } from './resource-types.ts';

/**
 * Errors from the Kubernetes API, the same whichever KubeClient adapter raised them, so callers
 * and the shared retry logic branch on `reason` rather than on an adapter's exception type.
 */
export type KubeErrorReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'TooManyRequests'
  | 'Invalid'
  | 'Forbidden'
  | 'Unauthorized'
  | 'InternalError'
  | 'Unknown';

const REASON_BY_STATUS: Readonly<Record<number, KubeErrorReason>> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
};

export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';

  constructor(
    readonly status: number,
    readonly reason: KubeErrorReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /**
   * The reason for an HTTP status. 409 is ambiguous: the apiserver answers it both for a stale
   * resourceVersion (Conflict) and for a name already taken (AlreadyExists); `statusReason` is
   * the `reason` field of the apiserver's Status body, which tells them apart.
   */
  static fromStatus(
    status: number,
    message: string,
    statusReason?: string,
    options?: ErrorOptions,
  ): KubeApiError {
    const reason =
      status === 409
        ? statusReason === 'AlreadyExists'
          ? 'AlreadyExists'
          : 'Conflict'
        : (REASON_BY_STATUS[status] ?? 'Unknown');
    return new KubeApiError(status, reason, message, options);
  }
}

export function isKubeError(error: unknown, reason: KubeErrorReason): error is KubeApiError {
  return error instanceof KubeApiError && error.reason === reason;
}

/** A configuration problem (environment variable, kubeconfig file); the message names the field. */
export class KubeConfigError extends Error {
  override readonly name = 'KubeConfigError';
}

/** What both real transports answer, as the apiserver would, for a namespaced call without one. */
export function namespaceRequiredError(type: ResourceType): KubeApiError {
  return new KubeApiError(422, 'Invalid', `${type.kind} is namespaced: a namespace is required`);
}
