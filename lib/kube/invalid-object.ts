import type { z } from 'zod';
import { formatFieldPath } from '../apis/zod-issues.ts';
import type { ResourceType } from './resource-types.ts';
import type { JsonObject } from './transport.ts';

/** Where lib/kube reports objects it had to skip; Powertools' Logger satisfies it. */
export interface KubeLogger {
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface FieldProblem {
  /** Path inside the object, e.g. `spec.requirements[0].operator`; `(root)` for the object itself. */
  readonly path: string;
  readonly message: string;
}

function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    path: formatFieldPath(issue.path) || '(root)',
    message: issue.message,
  }));
}

/** An object from the API that does not match its schema, so it cannot be read or changed. */
export class InvalidObjectError extends Error {
  override readonly name = 'InvalidObjectError';

  constructor(
    readonly kind: string,
    readonly objectName: string,
    readonly problems: readonly FieldProblem[],
    /** The object as the API returned it. */
    readonly object: JsonObject,
  ) {
    super(
      `${kind} "${objectName}" is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  }
}

function nameOf(object: JsonObject): string {
  const metadata = (object['metadata'] ?? {}) as { name?: unknown; namespace?: unknown };
  const name = typeof metadata.name === 'string' ? metadata.name : '(unnamed)';
  return typeof metadata.namespace === 'string' ? `${metadata.namespace}/${name}` : name;
}

/** The object parsed with `schema`, or an InvalidObjectError naming each bad field. */
export function parseObject<S extends z.ZodType>(
  type: ResourceType,
  schema: S,
  object: JsonObject,
): z.output<S> {
  const result = schema.safeParse(object);
  if (!result.success)
    throw new InvalidObjectError(type.kind, nameOf(object), fieldProblems(result.error), object);
  return result.data;
}

/** A list read from the API: the objects that match their schema, and those that do not. */
export interface Listed<T> {
  readonly items: readonly T[];
  /**
   * Objects left out because they fail validation. They still exist: a caller that acts on
   * absence (garbage collection) must treat them as present, never delete on their account.
   */
  readonly invalid: readonly InvalidObjectError[];
}

/** Parses each object; each one that fails is logged with its field paths and set aside. */
export function parseListed<S extends z.ZodType>(
  type: ResourceType,
  schema: S,
  objects: readonly JsonObject[],
  logger: KubeLogger,
): Listed<z.output<S>> {
  const items: z.output<S>[] = [];
  const invalid: InvalidObjectError[] = [];
  for (const object of objects) {
    const result = schema.safeParse(object);
    if (result.success) {
      items.push(result.data);
      continue;
    }
    const error = new InvalidObjectError(
      type.kind,
      nameOf(object),
      fieldProblems(result.error),
      object,
    );
    logger.warn('Skipping an object that does not match its schema', {
      kind: error.kind,
      name: error.objectName,
      problems: error.problems,
    });
    invalid.push(error);
  }
  return { items, invalid };
}
