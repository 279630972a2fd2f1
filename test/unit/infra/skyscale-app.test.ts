import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { createSkyscaleApp } from '../../../infra/skyscale-app.ts';
import { CLUSTER_TAG, type Skyscale } from '../../../infra/skyscale.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
const CLUSTER = {
  clusterName: 'prod-1',
  clusterEndpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
  clusterCertificateAuthority: 'Q0EtREFUQQ==',
};

/** One Lambda bundle per `functions/<name>/handler.ts`. */
const FUNCTIONS = readdirSync(join(ROOT, 'functions')).filter((name) =>
  existsSync(join(ROOT, 'functions', name, 'handler.ts')),
);

function outdir(): string {
  return mkdtempSync(join(tmpdir(), 'cdk-out-'));
}

/** `infra/app.ts` run as the CDK CLI runs it: the context in CDK_CONTEXT_JSON. */
function runApp(context: Record<string, unknown>) {
  const cdkOut = outdir();
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_CONTEXT_JSON: JSON.stringify({ ...NO_BUNDLING, ...context }),
      CDK_OUTDIR: cdkOut,
    },
  });
  return { ...run, written: readdirSync(cdkOut) };
}

// Synthesis loads every cdk-nag rule and the first test bundles four functions: on a busy 2-core
// machine that takes over a minute.
describe('the CDK app', { timeout: 180_000 }, () => {
  it('synthesizes offline, bundling every function, with the AWS Solutions checks passing', () => {
    // Prepare
    const app = createSkyscaleApp({ outdir: outdir(), context: CLUSTER });

    // Act
    const assembly = app.synth();

    // Assess
    const stack = app.node.findChild('Skyscale') as Stack;
    const skyscale = stack.node.findChild('Skyscale') as Skyscale;
    expect(assembly.getStackByName(stack.stackName).templateFile).toBe('Skyscale.template.json');
    expect(skyscale.clusterName).toBe('prod-1');
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Tags: [{ Key: CLUSTER_TAG, Value: 'prod-1' }],
    });
    const bundles = readdirSync(assembly.directory)
      .filter((entry) => entry.startsWith('asset.'))
      .map((asset) => join(assembly.directory, asset, 'index.mjs'));
    expect(FUNCTIONS.length).toBeGreaterThanOrEqual(4);
    expect(bundles).toHaveLength(FUNCTIONS.length);
    expect(bundles.every((bundle) => existsSync(bundle))).toBe(true);
  });

  it('runs cdk-nag as a validation plugin, so a non-compliant resource fails synth', () => {
    // Prepare
    const app = createSkyscaleApp({ outdir: outdir(), context: { ...NO_BUNDLING, ...CLUSTER } });
    new Queue(app.node.findChild('Skyscale'), 'QueueWithoutDeadLetterOrSsl');

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).toThrow(/AwsSolutions-SQS3/);
  });

  it.each([
    ['clusterName', /^context clusterName: missing; pass -c clusterName=<EKS cluster name>$/],
    [
      'clusterEndpoint',
      /^context clusterEndpoint: missing; pass -c clusterEndpoint="\$\(aws eks describe-cluster .* --query cluster\.endpoint --output text\)"$/,
    ],
    [
      'clusterCertificateAuthority',
      /^context clusterCertificateAuthority: missing; pass .*cluster\.certificateAuthority\.data/,
    ],
  ])('refuses to build without %s, naming it and what to pass', (key, message) => {
    // Prepare
    const context: Record<string, unknown> = { ...NO_BUNDLING, ...CLUSTER };
    delete context[key];

    // Act
    const create = () => createSkyscaleApp({ outdir: outdir(), context });

    // Assess
    expect(create).toThrow(message);
  });

  it.each([
    ['clusterName', 'not a name', /^context clusterName: must be an EKS cluster name .*; pass /],
    ['clusterEndpoint', 'http://insecure.example.com', /must be an https:\/\/ URL; pass /],
    ['kubernetesVersion', 'v1.34', /^context kubernetesVersion: must be MAJOR\.MINOR/],
    ['tickRateMinutes', '0.5', /^context tickRateMinutes: .*; pass -c tickRateMinutes=1$/],
    ['logLevel', 'LOUD', /^context logLevel: must be a Lambda log level; pass -c logLevel=/],
    ['logRetentionDays', '31', /^context logRetentionDays: must be a CloudWatch Logs retention/],
    ['alarmTopicArn', 'ops', /^context alarmTopicArn: must be an SNS topic ARN/],
    ['createAccessEntry', 'maybe', /^context createAccessEntry: must be true or false/],
  ])('rejects an invalid %s, naming it and what to pass', (key, value, message) => {
    // Prepare / Act
    const create = () =>
      createSkyscaleApp({
        outdir: outdir(),
        context: { ...NO_BUNDLING, ...CLUSTER, [key]: value },
      });

    // Assess
    expect(create).toThrow(message);
  });
});

// Each run starts a Node process that loads aws-cdk-lib.
describe('infra/app.ts, as the CDK CLI runs it', { timeout: 60_000 }, () => {
  it('ends with one line naming a missing context key, exit code 2, and writes no template', () => {
    // Prepare
    const { clusterName } = CLUSTER;

    // Act
    const run = runApp({ clusterName });

    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^context clusterEndpoint: missing; pass -c clusterEndpoint=.*\n$/);
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stdout).toBe('');
    expect(run.written).toEqual([]);
  });

  it('ends with one line naming an invalid context value, without a stack trace', () => {
    // Act
    const run = runApp({ ...CLUSTER, clusterCertificateAuthority: 'not base64!' });

    // Assess
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^context clusterCertificateAuthority: must be the base64-encoded CA bundle; pass .*\n$/,
    );
    expect(run.stderr).not.toMatch(/\bat /);
    expect(run.written).toEqual([]);
  });

  it('synthesizes the stack when the context describes the cluster', () => {
    // Act
    const run = runApp(CLUSTER);

    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.written).toContain('Skyscale.template.json');
  });
});
