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
  if (!NAME_LIKE.test(text) || RESERVED_WORDS.has(text)) return false;
  return (text[0] !== 'e' && text[0] !== 'E') || !/^[eE]-?[0-9]+$/.test(text);
}
const DOCUMENT_START = /^---(?:[ \t]+(?:#.*)?)?$/;
const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const HASH = 0x23;
const PERCENT = 0x25;

/** Blanks that end a line without being part of it (the CR of a CRLF line end included). */
function isBlank(code: number): boolean {
  return code === SPACE || code === TAB || code === CR;
}

/** A character at the edge of a line's content that the subset does not read as text. */
function isOddSpace(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code < SPACE || code === 0x7f || (code > 0x7f && /\s/.test(text.charAt(index)));
}

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

/**
 * Reads the text one line at a time, never holding more than the current line: the lines of a
 * file of thousands of pods, kept all at once, cost more in garbage collection than the reading.
 */
class PlainYamlReader {
  /** Where the next line starts. */
  private next = 0;
  /** The current line's indent, or -1 at a `---` or the end of the text (which end any block). */
  private indent = -1;
  /** The current line without its indent and trailing blanks. */
  private content = '';
  private atEndOfText = false;
  /** Plain scalars other than names, resolved once each by the `yaml` library (YAML 1.1, as kubectl). */
  private readonly resolved = new Map<string, unknown>();

  constructor(private readonly text: string) {
    if (/\r(?!\n)/.test(text)) outside();
  }

  documents(): unknown[] {
    const documents: unknown[] = [];
    this.advance();
    // Content before the first `---` is a document of its own.
    if (this.indent >= 0) documents.push(this.document());
    while (!this.atEndOfText) {
      this.advance();
      documents.push(this.indent < 0 ? null : this.document());
    }
    return documents;
  }

  private document(): unknown {
    if (this.indent !== 0) outside();
    const value = this.block(0);
    if (this.indent >= 0) outside();
    return value;
  }

  /** Moves to the next line that is neither blank nor a comment, or to a `---` or the end. */
  private advance(): void {
    const { text } = this;
    while (this.next < text.length) {
      const start = this.next;
      const newline = text.indexOf('\n', start);
      const lineEnd = newline < 0 ? text.length : newline;
      this.next = lineEnd + 1;
      let indent = 0;
      while (text.charCodeAt(start + indent) === SPACE) indent++;
      let end = lineEnd;
      while (end > start + indent && isBlank(text.charCodeAt(end - 1))) end--;
      const first = text.charCodeAt(start + indent);
      if (end === start + indent || first === HASH) continue;
      // Tabs, control characters and Unicode spaces around the content: the yaml library decides.
      if (isOddSpace(text, start + indent) || isOddSpace(text, end - 1)) outside();
      const content = text.slice(start + indent, end);
      if (indent === 0 && content.startsWith('---')) {
        if (!DOCUMENT_START.test(content)) outside();
        this.indent = -1;
        return;
      }
      if (indent === 0 && (content.startsWith('...') || first === PERCENT)) outside();
      this.indent = indent;
      this.content = content;
      return;
    }
    this.indent = -1;
    this.atEndOfText = true;
  }

  private block(indent: number): unknown {
    if (this.indent < 0) return outside();
    return isSequenceItem(this.content) ? this.sequence(indent) : this.mapping(indent);
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    while (this.indent >= indent) {
      if (this.indent > indent || isSequenceItem(this.content)) outside();
      const { key, rest } = splitKey(this.content);
      if (Object.hasOwn(out, key) || key === '<<' || key === '__proto__') outside();
      this.advance();
      out[key] = rest === '' ? this.nested(indent, true) : this.scalar(rest);
    }
    return out;
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    // A key at the sequence's indent ends it: a sequence may share its parent key's indent.
    while (this.indent >= indent && isSequenceItem(this.content)) {
      if (this.indent > indent) outside();
      const item = this.content.slice(1).trimStart();
      if (item === '') {
        this.advance();
        out.push(this.nested(indent, false));
      } else if (isSequenceItem(item) || looksLikeKey(item)) {
        // A compact collection: read the item as if it stood on its own line, indented.
        this.indent += this.content.length - item.length;
        this.content = item;
        out.push(this.block(this.indent));
      } else {
        this.advance();
        out.push(this.scalar(item));
      }
    }
    return out;
  }

  /** The value of a key or item with nothing after it: a more indented block, a sequence at the key's indent, or null. */
  private nested(indent: number, sequenceMayShareIndent: boolean): unknown {
    if (this.indent > indent) return this.block(this.indent);
    if (sequenceMayShareIndent && this.indent === indent && isSequenceItem(this.content))
      return this.sequence(indent);
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
    const colon = keyColon(content);
    if (colon < 0) outside();
    key = content.slice(0, colon);
    after = content.slice(colon);
    if (!isPlainString(key)) outside();
  }
  const rest = after.slice(1).trim();
  return { key, rest: rest.startsWith('#') ? '' : rest };
}

/** Where the first `: ` is, or a `:` that ends the line. */
function keyColon(content: string): number {
  const colon = content.indexOf(': ');
  if (colon >= 0 || !content.endsWith(':')) return colon;
  return content.length - 1;
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
