import { paginateDescribeSubnets, type EC2Client, type Filter } from '@aws-sdk/client-ec2';
import type { EC2NodeClassSpec } from '../../apis/ec2nodeclass.ts';
import { tagFilters } from './selector-filters.ts';

export interface ResolvedSubnet {
  readonly id: string;
  readonly zone: string;
  readonly zoneID?: string;
  readonly availableIps: number;
}

type SubnetTerm = EC2NodeClassSpec['subnetSelectorTerms'][number];

function termFilters(term: SubnetTerm): Filter[] {
  return term.id ? [{ Name: 'subnet-id', Values: [term.id] }] : tagFilters(term.tags);
}

/** Subnets matching any term (terms are ORed, fields within a term ANDed), most free IPs first. */
export async function resolveSubnets(
  ec2: EC2Client,
  terms: readonly SubnetTerm[],
): Promise<ResolvedSubnet[]> {
  const byId = new Map<string, ResolvedSubnet>();
  for (const term of terms) {
    for await (const page of paginateDescribeSubnets(
      { client: ec2 },
      { Filters: termFilters(term) },
    )) {
      for (const subnet of page.Subnets ?? []) {
        if (!subnet.SubnetId || !subnet.AvailabilityZone) continue;
        byId.set(subnet.SubnetId, {
          id: subnet.SubnetId,
          zone: subnet.AvailabilityZone,
          ...(subnet.AvailabilityZoneId ? { zoneID: subnet.AvailabilityZoneId } : {}),
          availableIps: subnet.AvailableIpAddressCount ?? 0,
        });
      }
    }
  }
  return [...byId.values()].sort(
    (a, b) => b.availableIps - a.availableIps || a.id.localeCompare(b.id),
  );
}

/** Per zone, the subnet with the most free IPs: the one a launch into that zone uses. */
export function subnetPerZone(subnets: readonly ResolvedSubnet[]): Map<string, ResolvedSubnet> {
  const chosen = new Map<string, ResolvedSubnet>();
  for (const subnet of subnets) {
    const current = chosen.get(subnet.zone);
    if (!current || subnet.availableIps > current.availableIps) chosen.set(subnet.zone, subnet);
  }
  return chosen;
}
