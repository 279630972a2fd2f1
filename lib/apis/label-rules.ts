import {
  ALLOWED_LABEL_DOMAINS,
  FORBIDDEN_REQUIREMENT_LABELS,
  Labels,
  RESTRICTED_LABEL_DOMAINS,
  WELL_KNOWN_LABELS,
  restrictedLabelDomain,
} from './labels.ts';
import type { ValidationRule } from './validation-rule.ts';

/**
 * The label restrictions of labels.ts as validation rules: one rule per forbidden label and per
 * restricted domain, so the apiserver's message names the label or domain as Karpenter's does.
 * The CEL is generated from the same constants `restrictedLabelDomain` reads.
 */

/** Karpenter sets the NodePool label itself, so templates may not. */
const FORBIDDEN_TEMPLATE_LABELS: ReadonlySet<string> = new Set([
  ...FORBIDDEN_REQUIREMENT_LABELS,
  Labels.nodePool,
]);

function celString(text: string): string {
  return JSON.stringify(text);
}

function celList(items: Iterable<string>): string {
  return `[${[...items].map(celString).join(', ')}]`;
}

/** A regex matching keys whose prefix is one of `domains` or a subdomain of one. */
function domainPattern(domains: readonly string[]): string {
  return `^([^/]+\\.)?(${domains.map((domain) => domain.replaceAll('.', '\\.')).join('|')})/`;
}

interface KeyRule {
  readonly message: string;
  /** CEL over the key expression `key`. */
  readonly cel: (key: string) => string;
  readonly holds: (key: string) => boolean;
}

function keyRules(forbidden: ReadonlySet<string>): KeyRule[] {
  const allowed = celString(domainPattern(ALLOWED_LABEL_DOMAINS));
  const exemptions = new Set([...WELL_KNOWN_LABELS, ...forbidden]);
  return [
    ...[...forbidden].map((label) => ({
      message: `label "${label}" is restricted`,
      cel: (key: string) => `${key} != ${celString(label)}`,
      holds: (key: string) => key !== label,
    })),
    ...RESTRICTED_LABEL_DOMAINS.map((domain) => {
      const pattern = domainPattern([domain]);
      const exempt = [...exemptions].filter((label) => new RegExp(pattern).test(label));
      return {
        message: `label domain "${domain}" is restricted`,
        cel: (key: string) =>
          `${exempt.length > 0 ? `${key} in ${celList(exempt)} || ` : ''}!${key}.matches(${celString(pattern)}) || ${key}.matches(${allowed})`,
        holds: (key: string) => forbidden.has(key) || restrictedLabelDomain(key) !== domain,
      };
    }),
  ];
}

/** Rules for a requirement's `key` (NodePool and NodeClaim requirements). */
export const requirementKeyRules: readonly ValidationRule<{ readonly key: string }>[] = keyRules(
  FORBIDDEN_REQUIREMENT_LABELS,
).map(({ message, cel, holds }) => ({
  message,
  cel: cel('self.key'),
  path: ['key'],
  holds: ({ key }) => holds(key),
}));

/** Rules for a NodePool template's `labels` map. */
export const templateLabelRules: readonly ValidationRule<Readonly<Record<string, string>>>[] =
  keyRules(FORBIDDEN_TEMPLATE_LABELS).map(({ message, cel, holds }) => ({
    message,
    cel: `self.all(key, ${cel('key')})`,
    holds: (labels) => Object.keys(labels).every(holds),
  }));
