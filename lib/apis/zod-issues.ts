import type { z } from 'zod';

/** What a message needs from a zod issue: where it is and what is wrong. */
export interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** `spec.requirements[0].key` for the path ['spec', 'requirements', 0, 'key']. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text ? `${text}.${String(segment)}` : String(segment);
  }, '');
}

/**
 * `field.path: message`, or the message alone for an issue with the value as a whole; always one
 * line, since a YAML key (and so a path or an "Unrecognized key" message) may span several.
 */
export function formatIssue(issue: IssueLike): string {
  const path = formatFieldPath(issue.path);
  return (path ? `${path}: ${issue.message}` : issue.message).replace(/\s*\n\s*/g, ' ');
}

/** One `field.path: message` per issue of a failed parse. */
export function formatZodIssues(issues: z.ZodError | readonly IssueLike[]): string[] {
  return ('issues' in issues ? issues.issues : issues).map(formatIssue);
}
