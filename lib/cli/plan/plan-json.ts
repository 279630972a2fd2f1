import type { PlanReport } from './plan-report.ts';

/** Array items stringified together: pieces of about a megabyte for the largest NodeClaims. */
const ITEMS_PER_PIECE = 32;

/**
 * `items` as they appear inside a top-level array of `JSON.stringify(report, null, 2)`, commas
 * between them: JSON.stringify indents them itself when they are stringified at that depth.
 */
function itemsAtDepthTwo(items: readonly unknown[]): string {
  const text = JSON.stringify({ items }, null, 2);
  return text.slice(text.indexOf('[') + 2, text.lastIndexOf(']') - 3);
}

/**
 * `JSON.stringify(report, null, 2)` in pieces, a few NodeClaims each: joined with newlines they
 * are the same text, but a plan of thousands of claims is never one string of hundreds of megabytes.
 */
export function* planJsonLines(report: PlanReport): Generator<string> {
  const entries = Object.entries(report);
  yield '{';
  for (const [position, [key, value]] of entries.entries()) {
    const comma = position < entries.length - 1 ? ',' : '';
    if (Array.isArray(value) && value.length > 0) {
      yield `  ${JSON.stringify(key)}: [`;
      for (let start = 0; start < value.length; start += ITEMS_PER_PIECE) {
        const end = Math.min(start + ITEMS_PER_PIECE, value.length);
        yield `${itemsAtDepthTwo(value.slice(start, end))}${end < value.length ? ',' : ''}`;
      }
      yield `  ]${comma}`;
    } else {
      const text = JSON.stringify({ [key]: value }, null, 2);
      yield `${text.slice(2, -2)}${comma}`;
    }
  }
  yield '}';
}
