import type { ProvisioningResult } from './types.ts';

/**
 * Why this run's pods need another pass within seconds, or undefined when they do not: the run
 * was skipped for the lock (its holder may have read the cluster before these pods), lost the
 * lock, left pods untried at its deadline, failed launches, or deleted claims for lack of
 * capacity (their pods now need another offering).
 */
export function anotherPassReason(result: ProvisioningResult): string | undefined {
  if (result.status === 'skipped')
    return 'the previous pass was skipped: another run held the lock';
  if (result.lockLost) return 'the previous pass lost the lock';
  if (result.podsNotAttempted > 0)
    return `the previous pass left ${result.podsNotAttempted} pod(s) untried at its deadline`;
  if (result.launchFailures.length > 0)
    return `the previous pass failed to launch ${result.launchFailures.length} NodeClaim(s)`;
  if (result.nodeClaimsDeleted.length > 0)
    return `the previous pass deleted ${result.nodeClaimsDeleted.length} NodeClaim(s) it could not launch`;
  return undefined;
}
