import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCrdFiles } from '../../../../lib/apis/crd/index.ts';

const DIRECTORY = 'manifests/crds';

describe('manifests/crds', () => {
  it('holds exactly the generated CRD files', () => {
    // Prepare
    const generated = renderCrdFiles()
      .map((file) => file.name)
      .sort();

    // Act
    const committed = readdirSync(DIRECTORY).sort();

    // Assess
    expect(committed).toEqual(generated);
  });

  it.each(renderCrdFiles())(
    '$name matches the schemas in lib/apis (run `npm run crds:generate` if not)',
    ({ name, text }) => {
      // Prepare / Act
      const committed = readFileSync(`${DIRECTORY}/${name}`, 'utf8');

      // Assess
      expect(committed).toBe(text);
    },
  );
});
