/** A Kubernetes timestamp (RFC 3339, whole seconds, UTC) for an epoch time in milliseconds. */
export function rfc3339(epochMilliseconds: number): string {
  return new Date(Math.floor(epochMilliseconds / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
