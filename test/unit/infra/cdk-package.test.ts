import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Node without TypeScript: no type stripping, no tsx, as a CDK app's `node app.mjs` runs. */
function plainNode(cwd: string, script: string) {
  writeFileSync(join(cwd, 'app.mjs'), script);
  return spawnSync(process.execPath, ['--no-experimental-strip-types', 'app.mjs'], {
    cwd,
    encoding: 'utf8',
  });
}

const SYNTH = `
import { App, Stack } from 'aws-cdk-lib';
import { Skyscale } from 'skyscale/cdk';
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new Stack(app, 'Platform');
new Skyscale(stack, 'Skyscale', {
  clusterName: 'prod',
  clusterEndpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
  clusterCertificateAuthority: 'Q0EtREFUQQ==',
});
const types = Object.values(app.synth().getStackByName('Platform').template.Resources).map(
  ({ Type }) => Type,
);
console.log(JSON.stringify(types));
`;

/**
 * A CDK app of a user's: its own directory, a lock file, and the package installed under
 * node_modules as npm installs it (package.json, the build's dist/, the functions' sources),
 * beside the CDK libraries it shares with the app.
 */
describe('the skyscale/cdk export, for a CDK app on plain Node', { timeout: 120_000 }, () => {
  let app: string;
  let installed: string;

  beforeAll(() => {
    app = mkdtempSync(join(tmpdir(), 'cdk-user-'));
    installed = join(app, 'node_modules', 'skyscale');
    mkdirSync(installed, { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(installed, 'package.json'));
    const build = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/build-cdk.ts', join(installed, 'dist', 'cdk')],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (build.status !== 0) throw new Error(`build-cdk failed: ${build.stderr}${build.stdout}`);
    symlinkSync(join(ROOT, 'functions'), join(installed, 'functions'));
    for (const name of ['aws-cdk-lib', 'constructs', 'zod']) {
      mkdirSync(dirname(join(app, 'node_modules', name)), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', name), join(app, 'node_modules', name));
    }
    writeFileSync(join(app, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}');
  }, 120_000);

  it('imports the compiled construct and synthesizes its functions, dashboard and alarms', () => {
    // Act
    const run = plainNode(app, SYNTH);

    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const types = JSON.parse(run.stdout) as string[];
    expect(types.filter((type) => type === 'AWS::Lambda::Function')).toHaveLength(4);
    expect(types).toContain('AWS::CloudWatch::Dashboard');
    expect(types).toContain('AWS::Scheduler::Schedule');
  });

  it('ships type declarations beside the JavaScript, with the props documented', () => {
    // Act
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      exports: Record<string, { types: string; default: string }>;
    };
    const declarations = readFileSync(
      join(installed, manifest.exports['./cdk']?.types ?? ''),
      'utf8',
    );
    const props = readFileSync(join(installed, 'dist/cdk/infra/skyscale.d.ts'), 'utf8');

    // Assess
    expect(manifest.exports['./cdk']?.default).toMatch(/\.js$/);
    expect(declarations).toContain('SkyscaleProps');
    expect(props).toContain('@default');
  });

  it('would not load from the TypeScript sources on plain Node', () => {
    // Act
    const run = plainNode(app, `await import(${JSON.stringify(join(ROOT, 'infra/index.ts'))});`);

    // Assess
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/ERR_UNKNOWN_FILE_EXTENSION|Unknown file extension "\.ts"/);
  });

  it('leaves the CDK libraries to the app, as peer dependencies, so its constructs and the app’s are one library', () => {
    // Act
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      peerDependencies?: Record<string, string>;
      dependencies?: Record<string, string>;
    };

    // Assess
    expect(Object.keys(manifest.peerDependencies ?? {}).sort()).toEqual([
      'aws-cdk-lib',
      'constructs',
    ]);
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain('aws-cdk-lib');
  });
});
