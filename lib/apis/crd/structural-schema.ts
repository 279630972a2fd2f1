import { z } from 'zod';
import { kubernetesSchemaExtensions, type KubernetesValidation } from '../validation-rule.ts';

/**
 * Turns a zod schema into a Kubernetes structural OpenAPI v3 schema for a CRD: JSON Schema from
 * `z.toJSONSchema` (input side, so defaults are defaults and not requirements), then rewritten
 * into the subset the apiserver accepts. Checks JSON Schema can express but Kubernetes cannot
 * (map key constraints) become CEL rules, so the apiserver still enforces them.
 */
export type JsonSchema = { [keyword: string]: unknown };

const SAFE_INTEGER_BOUNDS: Readonly<Record<string, number>> = {
  minimum: Number.MIN_SAFE_INTEGER,
  maximum: Number.MAX_SAFE_INTEGER,
};

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function celString(text: string): string {
  return JSON.stringify(text);
}

/** Map-key constraints (`propertyNames`) as CEL rules over every key. */
function keyRules(keys: JsonSchema): KubernetesValidation[] {
  const rules: KubernetesValidation[] = [];
  if (Array.isArray(keys.enum)) {
    const allowed = keys.enum.map(String);
    rules.push({
      rule: `self.all(key, key in [${allowed.map(celString).join(', ')}])`,
      message: `keys must be one of ${allowed.join(', ')}`,
    });
  }
  if (typeof keys.pattern === 'string') {
    rules.push({
      rule: `self.all(key, key.matches(${celString(keys.pattern)}))`,
      message: `keys must match ${keys.pattern}`,
    });
  }
  if (typeof keys.minLength === 'number') {
    const message =
      keys.minLength === 1
        ? 'keys must not be empty'
        : `keys must be at least ${keys.minLength} characters long`;
    rules.push({ rule: `self.all(key, size(key) >= ${keys.minLength})`, message });
  }
  if (typeof keys.maxLength === 'number') {
    rules.push({
      rule: `self.all(key, size(key) <= ${keys.maxLength})`,
      message: `keys must be at most ${keys.maxLength} characters long`,
    });
  }
  return rules;
}

/** `anyOf: [integer, string]`, as zod writes a quantity, in Kubernetes' int-or-string form. */
function intOrString(node: JsonSchema): JsonSchema | undefined {
  const members = node.anyOf;
  if (!Array.isArray(members) || members.length !== 2) return undefined;
  const integer = members.find((member: JsonSchema) => member.type === 'integer');
  const string = members.find((member: JsonSchema) => member.type === 'string') as
    JsonSchema | undefined;
  if (!integer || !string) return undefined;
  return {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    ...(string.pattern === undefined ? {} : { pattern: string.pattern }),
    'x-kubernetes-int-or-string': true,
  };
}

function structural(node: JsonSchema): JsonSchema {
  const converted = intOrString(node);
  if (converted) return converted;
  const out: JsonSchema = {};
  const validations = Array.isArray(node['x-kubernetes-validations'])
    ? [...(node['x-kubernetes-validations'] as KubernetesValidation[])]
    : [];
  for (const [keyword, value] of Object.entries(node)) {
    switch (keyword) {
      case '$schema':
      case 'x-kubernetes-validations':
        break;
      case 'const':
        out.enum = [value];
        break;
      case 'properties':
        out.properties = Object.fromEntries(
          Object.entries(value as JsonSchema).map(([name, child]) => [
            name,
            structural(child as JsonSchema),
          ]),
        );
        break;
      case 'items':
        out.items = structural(value as JsonSchema);
        break;
      case 'propertyNames': {
        const keys = value as JsonSchema;
        validations.push(...keyRules(keys));
        // Enumerated keys bound the map's size, which lets the apiserver cost the CEL rules.
        if (Array.isArray(keys.enum)) out.maxProperties ??= keys.enum.length;
        break;
      }
      case 'additionalProperties':
        if (value === false) break;
        if (isSchema(value) && Object.keys(value).length > 0)
          out.additionalProperties = structural(value);
        else out['x-kubernetes-preserve-unknown-fields'] = true;
        break;
      case 'minimum':
      case 'maximum':
        if (value !== SAFE_INTEGER_BOUNDS[keyword]) out[keyword] = value;
        break;
      case 'pattern':
        // Kubernetes checks date-time itself; zod's ISO regex would only slow the apiserver down.
        if (node.format !== 'date-time') out.pattern = value;
        break;
      default:
        out[keyword] = value;
    }
  }
  if (validations.length > 0) out['x-kubernetes-validations'] = validations;
  return out;
}

/** The structural schema of `schema`, with the CEL rules attached through `withRules`. */
export function toStructuralSchema(schema: z.ZodType): JsonSchema {
  const jsonSchema = z.toJSONSchema(schema, {
    io: 'input',
    override: ({ zodSchema, jsonSchema: node }) => {
      const extensions = kubernetesSchemaExtensions.get(zodSchema);
      if (extensions?.rules) node['x-kubernetes-validations'] = [...extensions.rules];
      if (extensions?.maxProperties !== undefined) node.maxProperties = extensions.maxProperties;
    },
  });
  return structural(jsonSchema);
}
