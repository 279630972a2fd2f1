/**
 * Entry point for the CDK CLI (cdk.json: `npx tsx infra/app.ts`). A missing or invalid context
 * value ends the app with one line naming the key and what to pass, before anything is
 * synthesized, so `cdk deploy` never deploys an incomplete description of the cluster.
 */
import { InvalidSkyscalePropsError } from './skyscale.ts';
import { createSkyscaleApp, InvalidContextError } from './skyscale-app.ts';

try {
  // Synthesized here, not when the process exits, so that a failure writes nothing.
  createSkyscaleApp({ autoSynth: false }).synth();
} catch (error) {
  if (!(error instanceof InvalidContextError || error instanceof InvalidSkyscalePropsError))
    throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
}
