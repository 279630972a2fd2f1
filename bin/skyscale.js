#!/usr/bin/env node
// Runs the CLI that `npm run build` bundles into dist/ (`npm ci` builds it). Node's compile cache
// keeps V8's compiled code between runs, so later starts skip most of the compiling.
import module from 'node:module';

module.enableCompileCache?.();
let cli;
try {
  cli = await import('../dist/skyscale.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/skyscale.js'))
    throw error;
  process.stderr.write('skyscale: the CLI is not built; run `npm run build` (npm ci runs it)\n');
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
