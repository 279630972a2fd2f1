/** Writes the CRDs generated from lib/apis to manifests/crds/ (`npm run crds:generate`). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCrdFiles } from '../lib/apis/crd/index.ts';

const directory = join(import.meta.dirname, '..', 'manifests', 'crds');
mkdirSync(directory, { recursive: true });
for (const file of renderCrdFiles()) {
  writeFileSync(join(directory, file.name), file.text);
  console.log(`wrote manifests/crds/${file.name}`);
}
