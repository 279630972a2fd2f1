import type { Filter } from '@aws-sdk/client-ec2';

/**
 * EC2 filters for a selector term's tags. A value of `*` matches any value, as in Karpenter, so
 * it becomes a `tag-key` filter.
 */
export function tagFilters(tags: Readonly<Record<string, string>> | undefined): Filter[] {
  return Object.entries(tags ?? {}).map(([key, value]) =>
    value === '*' ? { Name: 'tag-key', Values: [key] } : { Name: `tag:${key}`, Values: [value] },
  );
}

/** The value of tag `key` in an EC2 tag list. */
export function tagValue(
  tags: readonly { Key?: string; Value?: string }[] | undefined,
  key: string,
): string | undefined {
  return tags?.find((tag) => tag.Key === key)?.Value;
}
