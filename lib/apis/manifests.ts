import { parseAllDocuments, parseDocument } from 'yaml';
import { parsePlainYaml } from './plain-yaml.ts';
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

/** Where an object came from, without the object: for messages that name it. */
export type DocumentLocation = Omit<ManifestDocument, 'object'>;

/** The location of `document`, which keeps the parsed object alive no longer. */
export function documentLocation(document: ManifestDocument): DocumentLocation {
  const { file, index, item, kind, name } = document;
  return { file, index, ...(item === undefined ? {} : { item }), kind, name };
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

/** Aliases one document may expand: a few anchors nested a few deep would otherwise take gigabytes. */
const MAX_ALIAS_COUNT = 100;

/** JSON.parse keeps the last of two equal keys; kubectl (and YAML) refuse the document. */
function duplicateJsonKey(file: string, text: string): ManifestError | undefined {
  const duplicate = parseDocument(text, { version: '1.2', uniqueKeys: true }).errors.find(
    ({ code }) => code === 'DUPLICATE_KEY',
  );
  if (!duplicate) return undefined;
  const line = duplicate.linePos?.[0].line ?? lineOfOffset(text, duplicate.pos[0]);
  return new ManifestError(`${file}:${line}: invalid JSON: duplicate key`);
}

function parseJson(file: string, text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? `:${lineOfOffset(text, Number(position[1]))}` : '';
    // V8 quotes the text around the error, newlines and all.
    const reason = printable(message.replace(/ \(line \d+ column \d+\)$/, ''));
    throw new ManifestError(`${file}${where}: invalid JSON: ${reason}`);
  }
  const duplicate = duplicateJsonKey(file, text);
  if (duplicate) throw duplicate;
  return parsed;
}

/**
 * Text for the parsers: UTF-8 (a byte-order mark is dropped). UTF-16 and invalid UTF-8 are
 * refused, as they would otherwise read as garbage that happens to contain no objects.
 */
export function decodeManifestText(file: string, bytes: Uint8Array): string {
  const utf16 =
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xfe && bytes[1] === 0xff) ||
    bytes.subarray(0, 4096).includes(0);
  if (utf16) throw new ManifestError(`${file}: is not UTF-8 (UTF-16?); save it as UTF-8`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ManifestError(`${file}: is not valid UTF-8; save it as UTF-8`);
  }
}

/**
 * The objects in `text`: multi-document YAML (YAML 1.1, as kubectl reads it) or a JSON document.
 * Throws a ManifestError naming the file and line of the first syntax error.
 */
export function parseManifests(file: string, text: string): ManifestDocument[] {
  if (/^\s*[[{]/.test(text)) return expand(file, 0, parseJson(file, text));
  const plain = parsePlainYaml(text);
  if (plain)
    return plain.flatMap((object, index) =>
      object === null || object === undefined ? [] : expand(file, index, object),
    );
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
      let object: unknown;
      try {
        object = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (error) {
        // yaml throws a ReferenceError when the aliases would expand past the limit.
        const line = lineOfOffset(text, document.range[0]);
        throw new ManifestError(
          `${file}:${line}: invalid YAML: ${(error as Error).message.split('\n')[0]}`,
        );
      }
      return object === null || object === undefined ? [] : expand(file, index, object);
    },
  );
}

/** C0 and C1 control characters. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text from a manifest made safe for a terminal: control characters (escape sequences that could
 * rewrite the screen, newlines that could forge output lines) are shown as `\xNN`.
 */
function printable(text: string): string {
  return text.replace(
    CONTROL_CHARACTERS,
    (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/**
 * Where a document is, as `FILE (document N) KIND/NAME`, N counting from 1 (`, item M` for list
 * items): never `FILE:N`, which reads as a line number.
 */
export function formatDocumentLocation(document: DocumentLocation): string {
  const item = document.item === undefined ? '' : `, item ${document.item + 1}`;
  return printable(
    `${document.file} (document ${document.index + 1}${item}) ${document.kind ?? '<no kind>'}/${document.name ?? '<no name>'}`,
  );
}

/** One line per issue: `FILE (document N) KIND/NAME: field.path: message`. */
export function formatIssues(document: ManifestDocument, issues: readonly IssueLike[]): string[] {
  const location = formatDocumentLocation(document);
  return formatZodIssues(issues).map((problem) => `${location}: ${problem}`);
}
