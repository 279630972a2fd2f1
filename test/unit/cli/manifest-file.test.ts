import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifestFile } from '../../../lib/cli/manifest-file.ts';

describe('readManifestFile', () => {
  it('reads documents from a file', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'manifests-')), 'pods.yaml');
    writeFileSync(file, 'kind: Pod\nmetadata:\n  name: a\n');

    // Act
    const documents = await readManifestFile(file);

    // Assess
    expect(documents).toEqual([
      { file, index: 0, kind: 'Pod', name: 'a', object: { kind: 'Pod', metadata: { name: 'a' } } },
    ]);
  });

  it('reports an unreadable file on one line naming it', async () => {
    // Prepare
    const file = join(tmpdir(), 'does-not-exist', 'missing.yaml');

    // Act
    const read = readManifestFile(file);

    // Assess
    await expect(read).rejects.toThrow(
      new RegExp(`^${file.replaceAll('.', '\\.')}: cannot read: ENOENT[^\\n]*$`),
    );
  });
});
