import { readFile } from 'node:fs/promises';
import {
  decodeManifestText,
  ManifestError,
  parseManifests,
  type ManifestDocument,
} from '../apis/manifests.ts';

/** Reads and parses a manifest file; see parseManifests. */
export async function readManifestFile(file: string): Promise<ManifestDocument[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new ManifestError(`${file}: cannot read: ${(error as Error).message}`, { cause: error });
  }
  return parseManifests(file, decodeManifestText(file, bytes));
}
