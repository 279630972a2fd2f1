import { readFile } from 'node:fs/promises';
import {
  decodeManifestText,
  ManifestError,
  formatFieldPath,
  parseManifests,
} from '../apis/index.ts';
import { type Scenario, ScenarioSchema } from './scenario-schema.ts';

/** A scenario file that cannot be read or is invalid; `problems` has one line per bad field. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';

  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/** Validates a scenario document; each problem reads `FILE: field.path: message`. */
export function parseScenario(file: string, text: string): Scenario {
  let documents;
  try {
    documents = parseManifests(file, text);
  } catch (error) {
    if (error instanceof ManifestError) throw new ScenarioError([error.message]);
    throw error;
  }
  if (documents.length !== 1) {
    throw new ScenarioError([
      `${file}: a scenario is one YAML document (found ${documents.length})`,
    ]);
  }
  const result = ScenarioSchema.safeParse(documents[0]?.object);
  if (result.success) return result.data;
  throw new ScenarioError(
    result.error.issues.map((issue) => {
      const path = formatFieldPath(issue.path);
      // A YAML complex key can span lines, and zod quotes unknown keys: each problem stays one line.
      const message = issue.message.replace(/\s*\n\s*/g, ' ');
      return path ? `${file}: ${path}: ${message}` : `${file}: ${message}`;
    }),
  );
}

export async function loadScenario(file: string): Promise<Scenario> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new ScenarioError([`${file}: cannot read: ${(error as Error).message}`]);
  }
  let text: string;
  try {
    text = decodeManifestText(file, bytes);
  } catch (error) {
    if (error instanceof ManifestError) throw new ScenarioError([error.message]);
    throw error;
  }
  return parseScenario(file, text);
}
