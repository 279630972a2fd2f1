import type { PlanReport } from './plan-report.ts';

function indented(json: string, spaces: number): string {
  return json.replaceAll('\n', `\n${' '.repeat(spaces)}`);
}

/**
 * `JSON.stringify(report, null, 2)` in pieces, one per NodeClaim: joined with newlines they are
 * the same text, but a plan of thousands of claims is never one string of hundreds of megabytes.
 */
export function* planJsonLines(report: PlanReport): Generator<string> {
  const entries = Object.entries(report);
  yield '{';
  for (const [position, [key, value]] of entries.entries()) {
    const comma = position < entries.length - 1 ? ',' : '';
    if (Array.isArray(value) && value.length > 0) {
      yield `  ${JSON.stringify(key)}: [`;
      for (const [index, item] of value.entries())
        yield `    ${indented(JSON.stringify(item, null, 2), 4)}${index < value.length - 1 ? ',' : ''}`;
      yield `  ]${comma}`;
    } else yield `  ${JSON.stringify(key)}: ${indented(JSON.stringify(value, null, 2), 2)}${comma}`;
  }
  yield '}';
}
