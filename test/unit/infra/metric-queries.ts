/**
 * An offline check of the queries the dashboard and the alarms run against CloudWatch, which no
 * test can deploy: Metrics Insights queries are parsed by the grammar AWS documents
 * (`SELECT FUNCTION(metric) FROM namespace | SCHEMA(namespace, key…) [WHERE key op 'value' [AND …]]
 * [GROUP BY key, …] [ORDER BY FUNCTION() [ASC|DESC]] [LIMIT n]`), SEARCH expressions by theirs
 * (`SEARCH('{namespace,key…} term…', 'statistic', period)`), and each query's metric and dimension
 * names are held against what the functions emit: the metric must be recorded somewhere in lib/
 * or functions/, and a SCHEMA (which matches an exact dimension set) must name exactly the
 * dimensions it is recorded with.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  COMMON_DIMENSIONS,
  KarpenterMetrics,
  METRIC_DIMENSIONS,
  METRICS_NAMESPACE,
  MetricDimension,
  RunMetrics,
  type MetricName,
} from '../../../lib/metrics/index.ts';

export class MetricQueryError extends Error {
  override readonly name = 'MetricQueryError';
}

/** Metric name → the dimension names it is written with (its own and the common ones). */
export type EmittedMetrics = ReadonlyMap<string, ReadonlySet<string>>;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The metrics the code emits: those of the metrics module's constants that code outside it
 * records (every record goes through the typed recorder, whose dimensions METRIC_DIMENSIONS
 * fixes), each with its dimensions and the common ones.
 */
export function emittedMetrics(root: string): EmittedMetrics {
  const constants: Record<string, Record<string, MetricName>> = { KarpenterMetrics, RunMetrics };
  const referenced = new Set<MetricName>();
  const files = [...sourceFiles(join(root, 'lib')), ...sourceFiles(join(root, 'functions'))];
  for (const file of files.filter((path) => !path.includes(join('lib', 'metrics')))) {
    for (const [, group, key] of readFileSync(file, 'utf8').matchAll(
      /\b(KarpenterMetrics|RunMetrics)\.(\w+)/g,
    )) {
      const name = constants[group ?? '']?.[key ?? ''];
      if (name) referenced.add(name);
    }
  }
  return new Map(
    [...referenced].map((name) => [
      name,
      new Set<string>([...COMMON_DIMENSIONS, ...METRIC_DIMENSIONS[name]]),
    ]),
  );
}

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'quoted'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'symbol'; text: string };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\d+)|(!=|<>|[(),=*]))/y;
  let index = 0;
  while (index < query.length) {
    if (/^\s*$/.test(query.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(query);
    if (!match) throw new MetricQueryError(`unexpected text at "${query.slice(index)}"`);
    const [, word, quoted, string, number, symbol] = match;
    if (word !== undefined) tokens.push({ kind: 'word', text: word });
    else if (quoted !== undefined) tokens.push({ kind: 'quoted', text: quoted });
    else if (string !== undefined) tokens.push({ kind: 'string', text: string });
    else if (number !== undefined) tokens.push({ kind: 'number', text: number });
    else tokens.push({ kind: 'symbol', text: symbol ?? '' });
    index = pattern.lastIndex;
  }
  return tokens;
}

const FUNCTIONS = new Set(['AVG', 'COUNT', 'MAX', 'MIN', 'SUM']);
const KEYWORDS = new Set(['SELECT', 'FROM', 'SCHEMA', 'WHERE', 'AND', 'GROUP', 'BY', 'ORDER']);

class Parser {
  private position = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(what: string): Token {
    const token = this.tokens[this.position++];
    if (!token) throw new MetricQueryError(`expected ${what}, found the end of the query`);
    return token;
  }

  atKeyword(keyword: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.text.toUpperCase() === keyword;
  }

  keyword(keyword: string): void {
    const token = this.next(keyword);
    if (token.kind !== 'word' || token.text.toUpperCase() !== keyword)
      throw new MetricQueryError(`expected ${keyword}, found "${token.text}"`);
  }

  symbol(symbol: string): void {
    const token = this.next(`"${symbol}"`);
    if (token.kind !== 'symbol' || token.text !== symbol)
      throw new MetricQueryError(`expected "${symbol}", found "${token.text}"`);
  }

  atSymbol(symbol: string): boolean {
    const token = this.peek();
    return token?.kind === 'symbol' && token.text === symbol;
  }

  /** A name: double-quoted, or bare when it is letters, digits and underscores and no keyword. */
  identifier(what: string): string {
    const token = this.next(what);
    if (token.kind === 'quoted') return token.text.replaceAll('\\"', '"');
    if (token.kind === 'word' && !KEYWORDS.has(token.text.toUpperCase())) return token.text;
    throw new MetricQueryError(`expected ${what}, found "${token.text}"`);
  }

  function(): string {
    const token = this.next('a function');
    const name = token.text.toUpperCase();
    if (token.kind !== 'word' || !FUNCTIONS.has(name))
      throw new MetricQueryError(`"${token.text}" is not one of ${[...FUNCTIONS].join(', ')}`);
    return name;
  }

  string(what: string): string {
    const token = this.next(what);
    if (token.kind !== 'string')
      throw new MetricQueryError(`expected ${what} in single quotes, found "${token.text}"`);
    return token.text.replaceAll("\\'", "'");
  }

  number(what: string): void {
    if (this.next(what).kind !== 'number') throw new MetricQueryError(`expected ${what}`);
  }

  end(): void {
    const token = this.peek();
    if (token) throw new MetricQueryError(`unexpected "${token.text}" after the query`);
  }
}

export interface InsightsQuery {
  readonly aggregate: string;
  readonly metric: string;
  readonly namespace: string;
  /** Undefined when FROM names the namespace alone (any dimensions). */
  readonly schema: readonly string[] | undefined;
  readonly where: readonly { key: string; operator: string; value: string }[];
  readonly groupBy: readonly string[];
}

/** Parses a Metrics Insights query by the documented grammar, or throws naming what is wrong. */
export function parseInsightsQuery(query: string): InsightsQuery {
  const parser = new Parser(tokenize(query));
  parser.keyword('SELECT');
  const aggregate = parser.function();
  parser.symbol('(');
  const metric = parser.identifier('a metric name');
  parser.symbol(')');
  parser.keyword('FROM');
  let namespace: string;
  let schema: string[] | undefined;
  if (parser.atKeyword('SCHEMA')) {
    parser.keyword('SCHEMA');
    parser.symbol('(');
    namespace = parser.identifier('a namespace');
    schema = [];
    while (parser.atSymbol(',')) {
      parser.symbol(',');
      schema.push(parser.identifier('a dimension name'));
    }
    parser.symbol(')');
  } else namespace = parser.identifier('a namespace');
  const where: { key: string; operator: string; value: string }[] = [];
  if (parser.atKeyword('WHERE')) {
    parser.keyword('WHERE');
    do {
      if (where.length > 0) parser.keyword('AND');
      const key = parser.identifier('a dimension name');
      const operator = ['=', '!=', '<>'].find((symbol) => parser.atSymbol(symbol));
      if (!operator) throw new MetricQueryError(`expected =, != or <> after ${key}`);
      parser.symbol(operator);
      where.push({ key, operator, value: parser.string('a dimension value') });
    } while (parser.atKeyword('AND'));
  }
  const groupBy: string[] = [];
  if (parser.atKeyword('GROUP')) {
    parser.keyword('GROUP');
    parser.keyword('BY');
    groupBy.push(parser.identifier('a dimension name'));
    while (parser.atSymbol(',')) {
      parser.symbol(',');
      groupBy.push(parser.identifier('a dimension name'));
    }
  }
  if (parser.atKeyword('ORDER')) {
    parser.keyword('ORDER');
    parser.keyword('BY');
    parser.function();
    parser.symbol('(');
    parser.symbol(')');
    if (parser.atKeyword('ASC')) parser.keyword('ASC');
    else if (parser.atKeyword('DESC')) parser.keyword('DESC');
  }
  if (parser.atKeyword('LIMIT')) {
    parser.keyword('LIMIT');
    parser.number('a limit');
  }
  parser.end();
  return { aggregate, metric, namespace, schema, where, groupBy };
}

const sameSet = (a: Iterable<string>, b: Iterable<string>): boolean =>
  [...a].sort().join('\n') === [...b].sort().join('\n');

/** The metric's emitted dimensions, or an error naming a metric nobody emits. */
function emittedDimensions(emitted: EmittedMetrics, namespace: string, metric: string) {
  if (namespace !== METRICS_NAMESPACE)
    throw new MetricQueryError(`namespace "${namespace}" is not ${METRICS_NAMESPACE}`);
  const dimensions = emitted.get(metric);
  if (!dimensions) throw new MetricQueryError(`no function emits the metric "${metric}"`);
  return dimensions;
}

function checkSchema(metric: string, schema: readonly string[], dimensions: ReadonlySet<string>) {
  if (!sameSet(schema, dimensions))
    throw new MetricQueryError(
      `${metric} is emitted with dimensions [${[...dimensions].sort().join(', ')}], not [${[...schema].sort().join(', ')}]`,
    );
}

/**
 * Checks a Metrics Insights query: its grammar, a metric someone emits, a SCHEMA naming exactly
 * the dimensions it is emitted with, filters and groups on those only, and the cluster's filter.
 */
export function checkInsightsQuery(query: string, emitted: EmittedMetrics, cluster: string): void {
  const parsed = parseInsightsQuery(query);
  const dimensions = emittedDimensions(emitted, parsed.namespace, parsed.metric);
  if (parsed.schema) checkSchema(parsed.metric, parsed.schema, dimensions);
  const available = new Set(parsed.schema ?? dimensions);
  for (const key of [...parsed.where.map(({ key }) => key), ...parsed.groupBy])
    if (!available.has(key))
      throw new MetricQueryError(`${parsed.metric} has no dimension "${key}"`);
  const filtered = parsed.where.some(
    ({ key, operator, value }) =>
      key === MetricDimension.cluster && operator === '=' && value === cluster,
  );
  if (!filtered)
    throw new MetricQueryError(
      `the query does not keep to ${MetricDimension.cluster} '${cluster}'`,
    );
}

const STATISTIC = /^(SampleCount|Average|Sum|Minimum|Maximum|p\d{1,2}(\.\d+)?)$/;

/**
 * Checks a SEARCH expression: `SEARCH('{namespace,key…} key="value"… MetricName="m"', 'stat',
 * period)` with a metric someone emits, a schema naming exactly its dimensions, and the
 * cluster's term.
 */
export function checkSearchExpression(
  expression: string,
  emitted: EmittedMetrics,
  cluster: string,
): void {
  const match = /^SEARCH\('\{([^}]*)\}((?:\s+[\w]+="[^"]*")+)', '([^']+)', (\d+)\)$/.exec(
    expression,
  );
  if (!match) throw new MetricQueryError(`not a SEARCH expression: ${expression}`);
  const [, schemaText = '', termsText = '', statistic = ''] = match;
  const [namespace = '', ...schema] = schemaText
    .split(',')
    .map((name) => name.trim().replace(/^"(.*)"$/, '$1'));
  const terms = new Map(
    [...termsText.matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key ?? '', value ?? '']),
  );
  const metric = terms.get('MetricName');
  if (metric === undefined) throw new MetricQueryError(`no MetricName in ${expression}`);
  checkSchema(metric, schema, emittedDimensions(emitted, namespace, metric));
  if (terms.get(MetricDimension.cluster) !== cluster)
    throw new MetricQueryError(
      `the search does not keep to ${MetricDimension.cluster}="${cluster}"`,
    );
  if (!STATISTIC.test(statistic))
    throw new MetricQueryError(`"${statistic}" is not a CloudWatch statistic`);
}

/** Checks one metric a graph or an alarm reads by name and dimensions. */
export function checkMetricStat(
  stat: { namespace: string; metric: string; dimensions: Readonly<Record<string, string>> },
  emitted: EmittedMetrics,
  cluster: string,
): void {
  const dimensions = emittedDimensions(emitted, stat.namespace, stat.metric);
  checkSchema(stat.metric, Object.keys(stat.dimensions), dimensions);
  if (stat.dimensions[MetricDimension.cluster] !== cluster)
    throw new MetricQueryError(
      `${stat.metric} is not read for ${MetricDimension.cluster} ${cluster}`,
    );
}
