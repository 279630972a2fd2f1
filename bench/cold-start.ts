/**
 * `npm run bench:cold-start`: the provisioner's cold start. Bundles functions/provisioner/handler.ts
 * as the stack deploys it and reports the bundle's size (target under 1.5 MB), then, in fresh Node
 * processes, times loading that code and building the clients a first run builds (target under
 * 500 ms for the median CPU time of the runs; CPU time, because the machine is shared, with wall
 * time reported beside it). The AWS SDK is not bundled: as in Lambda, it loads from node_modules,
 * and its loading is part of the time.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { FUNCTION_BUNDLING } from '../infra/constructs/skyscale-function.ts';

const ROOT = resolve(import.meta.dirname, '..');
// Inside the repository, so the bundle resolves the AWS SDK from node_modules as Lambda's runtime does.
const OUT = join(ROOT, '.cache', 'cold-start');
const SIZE_TARGET_BYTES = 1.5 * 1024 * 1024;
const TIME_TARGET_MS = 500;
const RUNS = 7;

/** A cluster's environment as the stack sets it; the handler reads it when its module loads. */
const ENVIRONMENT = {
  CLUSTER_NAME: 'bench',
  CLUSTER_ENDPOINT: 'https://example.eks.amazonaws.com',
  CLUSTER_CA_DATA: Buffer.from('not a certificate').toString('base64'),
  CLUSTER_SERVICE_CIDR: '10.100.0.0/16',
  KUBERNETES_VERSION: '1.34',
  PROVISIONING_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench.fifo',
  PROVISIONING_DEAD_LETTER_QUEUE_URL:
    'https://sqs.us-east-1.amazonaws.com/123456789012/bench-dlq.fifo',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
};

async function bundle(entry: string, outfile: string): Promise<number> {
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: FUNCTION_BUNDLING.format,
    minify: FUNCTION_BUNDLING.minify,
    target: FUNCTION_BUNDLING.target,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    external: [...FUNCTION_BUNDLING.external],
    logLevel: 'error',
  });
  return statSync(outfile).size;
}

interface ColdStart {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** From a fresh process's first line to clients built, as that process measures it. */
function coldStart(bundlePath: string): ColdStart {
  const script = `const t = performance.now(); const c = process.cpuUsage(); const m = await import(${JSON.stringify(pathToFileURL(bundlePath).href)}); m.buildClients(); const u = process.cpuUsage(c); console.log(JSON.stringify({ wallMs: performance.now() - t, cpuMs: (u.user + u.system) / 1000 }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', ...ENVIRONMENT },
  });
  if (child.status !== 0) throw new Error(`the cold-start process failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as ColdStart;
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}

mkdirSync(OUT, { recursive: true });
const size = await bundle('functions/provisioner/handler.ts', join(OUT, 'provisioner.mjs'));
const measured = join(OUT, 'cold-start.mjs');
await bundle('bench/cold-start-entry.ts', measured);
const runs = Array.from({ length: RUNS }, () => coldStart(measured));
const cpuMs = median(runs.map((run) => run.cpuMs));
const wallMs = median(runs.map((run) => run.wallMs));

const problems = [
  size > SIZE_TARGET_BYTES ? `the bundle is over ${SIZE_TARGET_BYTES / 1024 / 1024} MB` : '',
  cpuMs > TIME_TARGET_MS ? `the median cold start takes over ${TIME_TARGET_MS} ms of CPU` : '',
].filter(Boolean);
console.log(`provisioner bundle: ${(size / 1024 / 1024).toFixed(2)} MB`);
console.log(
  `cold start (load + build clients), median of ${RUNS} fresh processes: ${cpuMs.toFixed(0)} ms CPU, ${wallMs.toFixed(0)} ms wall`,
);
console.log(problems.length ? `FAILED: ${problems.join('; ')}` : 'ok: within both targets');
process.exitCode = problems.length > 0 ? 1 : 0;
