import type { PlanReport } from './plan-report.ts';

/**
 * `item` as it appears inside a top-level array of `JSON.stringify(report, null, 2)`: stringified
 * at that depth, JSON.stringify indents it itself (re-indenting it afterwards costs as much again).
 */
function itemAtDepthTwo(item: unknown): string {
  const text = JSON.stringify({ items: [item] }, null, 2);
  return text.slice(text.indexOf('[') + 2, text.lastIndexOf(']') - 3);
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
        yield `${itemAtDepthTwo(item)}${index < value.length - 1 ? ',' : ''}`;
      yield `  ]${comma}`;
    } else {
      const text = JSON.stringify({ [key]: value }, null, 2);
      yield `${text.slice(2, -2)}${comma}`;
    }
  }
  yield '}';
}
