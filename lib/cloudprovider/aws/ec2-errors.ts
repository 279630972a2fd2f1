/** Classification of EC2 error codes, as returned in SDK exceptions and in CreateFleet's `Errors[]`. */

/** Codes that mean "this offering cannot be had right now": mark it unavailable and try another. */
export const CAPACITY_ERROR_CODES: ReadonlySet<string> = new Set([
  'InsufficientInstanceCapacity',
  'InsufficientFreeAddressesInSubnet',
  'MaxSpotInstanceCountExceeded',
  'ReservationCapacityExceeded',
  'UnfulfillableCapacity',
  'Unsupported',
  'VcpuLimitExceeded',
]);

const THROTTLING_ERROR_CODES: ReadonlySet<string> = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
]);

const INSTANCE_NOT_FOUND_CODES: ReadonlySet<string> = new Set([
  'InvalidInstanceID.NotFound',
  'InvalidInstanceID.Malformed',
]);

const LAUNCH_TEMPLATE_NOT_FOUND_CODES: ReadonlySet<string> = new Set([
  'InvalidLaunchTemplateName.NotFoundException',
  'InvalidLaunchTemplateId.NotFound',
]);

/** A reused ClientToken with different parameters: an earlier call with this token was answered. */
export const IDEMPOTENT_PARAMETER_MISMATCH = 'IdempotentParameterMismatch';

/** The AWS error code of an SDK v3 exception (its `name`), or undefined for anything else. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const { name, Code } = error as { name?: unknown; Code?: unknown };
  if (typeof Code === 'string') return Code;
  return typeof name === 'string' ? name : undefined;
}

export function isCapacityErrorCode(code: string | undefined): boolean {
  return code !== undefined && CAPACITY_ERROR_CODES.has(code);
}

export function isThrottlingError(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && THROTTLING_ERROR_CODES.has(code);
}

export function isInstanceNotFoundError(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code !== undefined && INSTANCE_NOT_FOUND_CODES.has(code);
}

export function isLaunchTemplateNotFoundCode(code: string | undefined): boolean {
  return code !== undefined && LAUNCH_TEMPLATE_NOT_FOUND_CODES.has(code);
}
