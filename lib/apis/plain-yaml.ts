import { parse } from 'yaml';

/**
 * A fast reader for the YAML most manifests are written in: block mappings and sequences, plain
 * and quoted one-line scalars, one-line flow sequences of scalars, `{}`, comments and `---`.
 * The `yaml` library composes a full document tree first, which takes seconds for a file of
 * thousands of pods; this reads the same subset line by line. Anything else (anchors, tags, block
 * scalars, multi-line scalars, flow mappings, duplicate keys, merge keys, syntax errors) makes it
 * answer `undefined`, and the caller reads the file with the `yaml` library instead.
 */
export function parsePlainYaml(text: string): unknown[] | undefined {
  try {
    return new PlainYamlReader(text).documents();
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}

class OutsideSubset extends Error {}

function outside(): never {
  throw new OutsideSubset();
}

interface Line {
  indent: number;
  content: string;
}

/** A word YAML 1.1 reads as a boolean or null rather than a string. */
const RESERVED_WORDS = new Set(
  ['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null'].flatMap((word) => [
    word,
    word.toUpperCase(),
    `${word[0]?.toUpperCase()}${word.slice(1)}`,
  ]),
);
/** A letter, then name-like characters: a string, unless a reserved word or an exponent like `e5`. */
const NAME_LIKE = /^[A-Za-z][-A-Za-z0-9_./]*$/;

/** Whether a plain scalar is certainly the string it spells under YAML 1.1 as the yaml library reads it. */
function isPlainString(text: string): boolean {
  return NAME_LIKE.test(text) && !RESERVED_WORDS.has(text) && !/^[eE]-?[0-9]+$/.test(text);
}
const DOCUMENT_START = /^---(?:[ \t]+(?:#.*)?)?$/;
/** Characters that cannot start a plain scalar of the subset. */
const INDICATORS = new Set([
  '&',
  '*',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
  '?',
  '{',
  '[',
  ']',
  '}',
  ',',
  '#',
]);

class PlainYamlReader {
  private readonly lines: Line[] = [];
  private position = 0;
  /** Plain scalars other than names, resolved once each by the `yaml` library (YAML 1.1, as kubectl). */
  private readonly resolved = new Map<string, unknown>();
  /** Indices into `lines` where a document starts; -1 for content before the first `---`. */
  private readonly starts: number[] = [];

  constructor(text: string) {
    if (/\r(?!\n)/.test(text)) outside();
    let leading = false;
    for (const raw of text.split('\n')) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const content = line.trimStart();
      if (content === '' || content.startsWith('#')) continue;
      const indent = line.length - content.length;
      if (line.slice(0, indent).includes('\t')) outside();
      if (indent === 0 && DOCUMENT_START.test(line)) {
        this.starts.push(this.lines.length);
        continue;
      }
      if (indent === 0 && (line.startsWith('---') || line.startsWith('...') || line[0] === '%'))
        outside();
      if (this.starts.length === 0 && !leading) {
        leading = true;
        this.starts.push(this.lines.length);
      }
      this.lines.push({ indent, content: content.trimEnd() });
    }
  }

  documents(): unknown[] {
    return this.starts.map((start, index) => {
      const end = this.starts[index + 1] ?? this.lines.length;
      this.position = start;
      if (start === end) return null;
      const first = this.lines[start];
      if (!first || first.indent !== 0) outside();
      const value = this.block(0, end);
      if (this.position !== end) outside();
      return value;
    });
  }

  private block(indent: number, end: number): unknown {
    const line = this.lines[this.position];
    if (!line) return outside();
    return isSequenceItem(line.content) ? this.sequence(indent, end) : this.mapping(indent, end);
  }

  private mapping(indent: number, end: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    while (this.position < end) {
      const line = this.lines[this.position];
      if (!line || line.indent < indent) break;
      if (line.indent > indent || isSequenceItem(line.content)) outside();
      const { key, rest } = splitKey(line.content);
      if (Object.hasOwn(out, key) || key === '<<' || key === '__proto__') outside();
      this.position++;
      out[key] = rest === '' ? this.nested(indent, end, true) : this.scalar(rest);
    }
    return out;
  }

  private sequence(indent: number, end: number): unknown[] {
    const out: unknown[] = [];
    while (this.position < end) {
      const line = this.lines[this.position];
      // A key at the sequence's indent ends it: a sequence may share its parent key's indent.
      if (!line || line.indent < indent || !isSequenceItem(line.content)) break;
      if (line.indent > indent) outside();
      const item = line.content.slice(1).trimStart();
      if (item === '') {
        this.position++;
        out.push(this.nested(indent, end, false));
      } else if (isSequenceItem(item) || looksLikeKey(item)) {
        // A compact collection: read the item as if it stood on its own line, indented.
        line.indent += line.content.length - item.length;
        line.content = item;
        out.push(this.block(line.indent, end));
      } else {
        this.position++;
        out.push(this.scalar(item));
      }
    }
    return out;
  }

  /** The value of a key or item with nothing after it: a more indented block, a sequence at the key's indent, or null. */
  private nested(indent: number, end: number, sequenceMayShareIndent: boolean): unknown {
    const next = this.position < end ? this.lines[this.position] : undefined;
    if (next && next.indent > indent) return this.block(next.indent, end);
    if (next && sequenceMayShareIndent && next.indent === indent && isSequenceItem(next.content))
      return this.sequence(indent, end);
    return null;
  }

  private scalar(text: string): unknown {
    const first = text[0] ?? '';
    if (first === '"' || first === "'") return quoted(text);
    if (first === '[') return this.flowSequence(text);
    if (text === '{}' || /^\{\}\s+#/.test(text)) return {};
    return this.plain(withoutComment(text));
  }

  private plain(text: string): unknown {
    const first = text[0] ?? '';
    if (INDICATORS.has(first) || (first === '-' && text[1] === ' ') || /: |:$| #|\t/.test(text))
      outside();
    if (isPlainString(text)) return text;
    if (!this.resolved.has(text)) this.resolved.set(text, parse(text, { version: '1.1' }));
    return this.resolved.get(text);
  }

  private flowSequence(text: string): unknown[] {
    const close = text.lastIndexOf(']');
    if (close < 0 || withoutComment(text.slice(close + 1)) !== '') outside();
    const inner = text.slice(1, close).trim();
    if (inner === '') return [];
    const items: unknown[] = [];
    let rest = inner;
    for (;;) {
      let item: string;
      if (rest[0] === '"' || rest[0] === "'") {
        const end = quotedEnd(rest);
        item = rest.slice(0, end);
        rest = rest.slice(end).trimStart();
        items.push(quoted(item));
      } else {
        const comma = rest.indexOf(',');
        item = (comma < 0 ? rest : rest.slice(0, comma)).trim();
        rest = comma < 0 ? '' : rest.slice(comma);
        if (item === '' || /[[\]{}:#"']/.test(item)) outside();
        items.push(this.plain(item));
      }
      if (rest === '') return items;
      if (rest[0] !== ',') outside();
      rest = rest.slice(1).trimStart();
      if (rest === '') return items;
    }
  }
}

function isSequenceItem(content: string): boolean {
  return content === '-' || content.startsWith('- ');
}

function looksLikeKey(text: string): boolean {
  return /^[^\s"'[\]{}#&*!|>%@`,?-][^:]*:(?: |$)/.test(text) || /^["'].*["']:(?: |$)/.test(text);
}

/** A mapping entry's key and what follows its colon. */
function splitKey(content: string): { key: string; rest: string } {
  let key: string;
  let after: string;
  if (content[0] === '"' || content[0] === "'") {
    const end = quotedEnd(content);
    const value = quoted(content.slice(0, end));
    if (typeof value !== 'string') outside();
    key = value;
    after = content.slice(end);
    if (after[0] !== ':') outside();
  } else {
    const colon = content.search(/:(?: |$)/);
    if (colon < 0) outside();
    key = content.slice(0, colon);
    after = content.slice(colon);
    if (!isPlainString(key)) outside();
  }
  const rest = after.slice(1).trim();
  return { key, rest: rest.startsWith('#') ? '' : rest };
}

/** Where a quoted scalar at the start of `text` ends (just past its closing quote). */
function quotedEnd(text: string): number {
  const quote = text[0];
  for (let index = 1; index < text.length; index++) {
    const character = text[index];
    if (quote === '"' && character === '\\') index++;
    else if (character === quote) {
      if (quote === "'" && text[index + 1] === "'") index++;
      else return index + 1;
    }
  }
  return outside();
}

/** A one-line quoted scalar, with nothing but a comment after it. */
function quoted(text: string): string {
  const end = quotedEnd(text);
  if (withoutComment(text.slice(end)) !== '') outside();
  const body = text.slice(1, end - 1);
  if (text[0] === "'") return body.replaceAll("''", "'");
  if (!body.includes('\\')) return body;
  // JSON's escapes are a subset of YAML's; anything else is left to the yaml library.
  try {
    return JSON.parse(text.slice(0, end)) as string;
  } catch {
    return outside();
  }
}

/** `text` without a trailing ` # comment`. */
function withoutComment(text: string): string {
  const hash = text.search(/(?:^|\s)#/);
  return (hash < 0 ? text : text.slice(0, hash)).trim();
}
