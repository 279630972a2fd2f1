import { paginateDescribeSecurityGroups, type EC2Client, type Filter } from '@aws-sdk/client-ec2';
import type { EC2NodeClassSpec } from '../../apis/ec2nodeclass.ts';
import { tagFilters } from './selector-filters.ts';

export interface ResolvedSecurityGroup {
  readonly id: string;
  readonly name?: string;
}

type SecurityGroupTerm = EC2NodeClassSpec['securityGroupSelectorTerms'][number];

function termFilters(term: SecurityGroupTerm): Filter[] {
  if (term.id) return [{ Name: 'group-id', Values: [term.id] }];
  const filters = tagFilters(term.tags);
  if (term.name) filters.push({ Name: 'group-name', Values: [term.name] });
  return filters;
}

/** Security groups matching any term, by id. */
export async function resolveSecurityGroups(
  ec2: EC2Client,
  terms: readonly SecurityGroupTerm[],
): Promise<ResolvedSecurityGroup[]> {
  const byId = new Map<string, ResolvedSecurityGroup>();
  for (const term of terms) {
    for await (const page of paginateDescribeSecurityGroups(
      { client: ec2 },
      { Filters: termFilters(term) },
    )) {
      for (const group of page.SecurityGroups ?? []) {
        if (!group.GroupId) continue;
        byId.set(group.GroupId, {
          id: group.GroupId,
          ...(group.GroupName ? { name: group.GroupName } : {}),
        });
      }
    }
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}
