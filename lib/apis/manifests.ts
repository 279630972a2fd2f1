import { parseAllDocuments } from 'yaml';
import { formatZodIssues, type IssueLike } from './zod-issues.ts';

/** One object from a manifest file. */
export interface ManifestDocument {
  readonly file: string;
  /** 0-based position of the YAML document in the file (empty documents keep their number). */
  readonly index: number;
  /** Position within a `kind: List` (or `PodList`…) document's `items`, when the object came from one. */
  readonly item?: number;
  readonly kind: string | undefined;
  readonly name: string | undefined;
  readonly object: unknown;
}

/** A file that cannot be read or parsed; the message is one line naming the file (and line). */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function stringField(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' ? found : undefined;
}

function describe(file: string, index: number, object: unknown, item?: number): ManifestDocument {
  const metadata = field(object, 'metadata');
  const name = stringField(metadata, 'name') ?? stringField(metadata, 'generateName');
  return {
    file,
    index,
    ...(item === undefined ? {} : { item }),
    kind: stringField(object, 'kind'),
    name,
    object,
  };
}

/** A document, or each of its items when it is a list such as `kubectl get pods -o yaml` prints. */
function expand(file: string, index: number, object: unknown): ManifestDocument[] {
  const items = field(object, 'items');
  if (stringField(object, 'kind')?.endsWith('List') && Array.isArray(items)) {
    return items.map((item: unknown, position) => describe(file, index, item, position));
  }
  return [describe(file, index, object)];
}

function lineOfOffset(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? `:${lineOfOffset(text, Number(position[1]))}` : '';
    throw new ManifestError(
      `${file}${where}: invalid JSON: ${message.replace(/ \(line \d+ column \d+\)$/, '')}`,
    );
  }
}

/**
 * The objects in `text`: multi-document YAML (YAML 1.1, as kubectl reads it) or a JSON document.
 * Throws a ManifestError naming the file and line of the first syntax error.
 */
export function parseManifests(file: string, text: string): ManifestDocument[] {
  if (/^\s*[[{]/.test(text)) return expand(file, 0, parseJson(file, text));
  return parseAllDocuments(text, { version: '1.1', prettyErrors: true }).flatMap(
    (document, index) => {
      const [error] = document.errors;
      if (error) {
        const line = error.linePos?.[0].line ?? lineOfOffset(text, error.pos[0]);
        const reason = (error.message.split('\n')[0] ?? '').replace(
          / at line \d+, column \d+:?$/,
          '',
        );
        throw new ManifestError(`${file}:${line}: invalid YAML: ${reason}`);
      }
      const object: unknown = document.toJS({ maxAliasCount: 100 });
      return object === null || object === undefined ? [] : expand(file, index, object);
    },
  );
}

/** Where a document is, as `FILE:DOC_INDEX KIND/NAME` (with `[ITEM]` for list items). */
export function formatDocumentLocation(document: ManifestDocument): string {
  const item = document.item === undefined ? '' : `[${document.item}]`;
  return `${document.file}:${document.index}${item} ${document.kind ?? '<no kind>'}/${document.name ?? '<no name>'}`;
}

/** One line per issue: `FILE:DOC_INDEX KIND/NAME: field.path: message`. */
export function formatIssues(document: ManifestDocument, issues: readonly IssueLike[]): string[] {
  const location = formatDocumentLocation(document);
  return formatZodIssues(issues).map((problem) => `${location}: ${problem}`);
}
