import { readFile } from 'node:fs/promises';
import { ManifestError, parseManifests, type ManifestDocument } from '../apis/manifests.ts';

/** Reads and parses a manifest file; see parseManifests. */
export async function readManifestFile(file: string): Promise<ManifestDocument[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ManifestError(`${file}: cannot read: ${(error as Error).message}`, { cause: error });
  }
  return parseManifests(file, text);
}
