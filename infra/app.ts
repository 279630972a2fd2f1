/** Entry point for the CDK CLI (cdk.json: `npx tsx infra/app.ts`). */
import { createSkyscaleApp } from './skyscale-app.ts';

createSkyscaleApp().synth();
