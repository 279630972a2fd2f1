/**
 * `npm run build` (run by `npm ci` and `npm install` through the `prepare` script): bundles the
 * `skyscale` CLI into dist/skyscale.js, which bin/skyscale.js runs, with its dependencies inside
 * (the Kubernetes client in a chunk of its own): it loads in a fraction of the time tsx takes to
 * compile the sources.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = resolve(ROOT, 'dist');

// Chunk names carry a content hash: without this, every change would leave stale chunks behind.
rmSync(DIST, { recursive: true, force: true });

await build({
  entryPoints: { skyscale: resolve(ROOT, 'lib/cli/main.ts') },
  outdir: DIST,
  // Modules imported dynamically (the Kubernetes client) go to chunks of their own, loaded only
  // by the commands that reach a cluster.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  mainFields: ['module', 'main'],
  // Bundled CommonJS dependencies call `require`, which an ES module must define.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
