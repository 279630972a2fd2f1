import type { PodSpec } from '../apis/index.ts';

export interface HostPort {
  readonly ip: string;
  readonly port: number;
  readonly protocol: string;
  /** Who holds the port, for error messages (`pod ns/name` or `DaemonSet ns/name`). */
  readonly owner: string;
}

const WILDCARD_IPS: ReadonlySet<string> = new Set(['', '0.0.0.0', '::']);

const NO_HOST_PORTS: readonly HostPort[] = [];

function usesHostPorts({ ports }: { readonly ports?: readonly { hostPort?: number }[] }): boolean {
  return ports?.some(({ hostPort }) => (hostPort ?? 0) > 0) ?? false;
}

export function hostPortsOf(spec: PodSpec, owner: string): readonly HostPort[] {
  // Most pods use none: they share one empty list.
  if (!spec.containers.some(usesHostPorts) && !spec.initContainers?.some(usesHostPorts))
    return NO_HOST_PORTS;
  const containers = [...(spec.initContainers ?? []), ...spec.containers];
  return containers.flatMap((container) =>
    (container.ports ?? [])
      .filter((port) => (port.hostPort ?? 0) > 0)
      .map((port) => ({
        ip: port.hostIP ?? '',
        port: port.hostPort ?? 0,
        protocol: port.protocol ?? 'TCP',
        owner,
      })),
  );
}

function conflict(a: HostPort, b: HostPort): boolean {
  return (
    a.port === b.port &&
    a.protocol === b.protocol &&
    (a.ip === b.ip || WILDCARD_IPS.has(a.ip) || WILDCARD_IPS.has(b.ip))
  );
}

export function formatHostPort(port: HostPort): string {
  return `${port.ip && !WILDCARD_IPS.has(port.ip) ? `${port.ip}:` : ''}${port.port}/${port.protocol}`;
}

/** The host ports taken on one node. Each node holds its own copy; `copy()` before sharing a seed. */
export class HostPortUsage {
  private readonly used: HostPort[];

  constructor(used: readonly HostPort[] = []) {
    this.used = [...used];
  }

  copy(): HostPortUsage {
    return new HostPortUsage(this.used);
  }

  /** Why `ports` cannot be added, or undefined. */
  conflictWith(ports: readonly HostPort[]): string | undefined {
    for (const port of ports) {
      const taken = this.used.find((existing) => conflict(existing, port));
      if (taken) return `host port ${formatHostPort(port)} is already used by ${taken.owner}`;
    }
    return undefined;
  }

  add(ports: readonly HostPort[]): void {
    this.used.push(...ports);
  }
}
