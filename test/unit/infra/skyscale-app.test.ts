import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { createSkyscaleApp } from '../../../infra/skyscale-app.ts';
import { CLUSTER_TAG, SkyscaleStack } from '../../../infra/skyscale-stack.ts';

const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** One Lambda bundle per `functions/<name>/handler.ts`. */
const FUNCTIONS = readdirSync(resolve(import.meta.dirname, '../../../functions')).filter((name) =>
  existsSync(resolve(import.meta.dirname, '../../../functions', name, 'handler.ts')),
);

function outdir(): string {
  return mkdtempSync(join(tmpdir(), 'cdk-out-'));
}

// Synthesis loads every cdk-nag rule; on a busy machine the first synth takes several seconds.
describe('the CDK app', { timeout: 60_000 }, () => {
  it('synthesizes offline, bundling every function, with the AWS Solutions checks passing', () => {
    // Prepare
    const app = createSkyscaleApp({ outdir: outdir(), context: { clusterName: 'prod-1' } });

    // Act
    const assembly = app.synth();

    // Assess
    const stack = app.node.findChild('Skyscale') as SkyscaleStack;
    expect(assembly.getStackByName(stack.stackName).templateFile).toBe('Skyscale.template.json');
    expect(stack.clusterName).toBe('prod-1');
    expect(stack.tags.tagValues()).toEqual({ [CLUSTER_TAG]: 'prod-1' });
    const bundles = readdirSync(assembly.directory)
      .filter((entry) => entry.startsWith('asset.'))
      .map((asset) => join(assembly.directory, asset, 'index.mjs'));
    expect(FUNCTIONS.length).toBeGreaterThanOrEqual(4);
    expect(bundles).toHaveLength(FUNCTIONS.length);
    expect(bundles.every((bundle) => existsSync(bundle))).toBe(true);
  });

  it('runs cdk-nag as a validation plugin, so a non-compliant resource fails synth', () => {
    // Prepare
    const app = createSkyscaleApp({ outdir: outdir(), context: NO_BUNDLING });
    new Queue(app.node.findChild('Skyscale'), 'QueueWithoutDeadLetterOrSsl');

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).toThrow(/AwsSolutions-SQS3/);
  });

  it('defaults the cluster name', () => {
    // Prepare
    const app = createSkyscaleApp({ outdir: outdir(), context: NO_BUNDLING });

    // Act
    app.synth();

    // Assess
    const stack = app.node.findChild('Skyscale') as SkyscaleStack;
    expect(stack.clusterName).toBe('my-cluster');
    expect(stack.tags.tagValues()).toEqual({ [CLUSTER_TAG]: 'my-cluster' });
  });

  it('rejects an invalid cluster name in the context, naming the field', () => {
    // Prepare / Act
    const create = () =>
      createSkyscaleApp({ outdir: outdir(), context: { clusterName: 'not a name' } });

    // Assess
    expect(create).toThrow(/^context clusterName: must be an EKS cluster name/);
  });
});
