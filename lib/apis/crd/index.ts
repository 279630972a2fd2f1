export { type CrdFile, renderCrdFiles } from './definitions.ts';
export { type JsonSchema, toStructuralSchema } from './structural-schema.ts';
