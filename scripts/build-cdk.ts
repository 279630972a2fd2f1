/**
 * `npm run build` (run by `npm ci` and `npm install` through the `prepare` script), second half:
 * compiles the Skyscale construct (`skyscale/cdk`) to JavaScript with type declarations in
 * dist/cdk/, or in the directory given as the first argument, so that CDK apps running on plain
 * Node can import it. The functions' handlers stay TypeScript: the construct bundles them from
 * functions/ with esbuild when the app synthesizes.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const outDir = resolve(process.argv[2] ?? join(ROOT, 'dist/cdk'));

// A construct file removed from infra/ must not live on in an earlier build.
rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.cdk.json'), '--outDir', outDir], {
  stdio: 'inherit',
});
