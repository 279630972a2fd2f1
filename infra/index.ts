/** The package's CDK entry point (`import { Skyscale } from 'skyscale/cdk'`). */
export {
  CLUSTER_TAG,
  InvalidSkyscalePropsError,
  Skyscale,
  type SkyscaleProps,
} from './skyscale.ts';
